// Modules without type declarations of their own.
declare module 'unbzip2-stream/lib/bzip2.js';
declare module 'unbzip2-stream/lib/bit_iterator.js';
