// chgrp as GNU has it: chown's machinery (./chown.ts) with only the group changing.
import { defineApplet } from '../core/applet.js';
import { changeOwnership, OWNERSHIP_OPTIONS } from './chown.js';

export default defineApplet({
  name: 'chgrp',
  summary: 'Change the group of each FILE to GROUP',
  usage: 'chgrp [OPTION]... GROUP FILE...\n   or: chgrp [OPTION]... --reference=RFILE FILE...',
  help: [
    '-c, --changes\t\tLike verbose but report only when a change is made',
    '-f, --silent, --quiet\tSuppress most error messages',
    '-v, --verbose\t\tOutput a diagnostic for every file processed',
    '    --dereference\tAffect the referent of each symbolic link (the default)',
    '-h, --no-dereference\tAffect symbolic links instead of any referenced file',
    '    --no-preserve-root\tDo not treat \'/\' specially (the default)',
    '    --preserve-root\tFail to operate recursively on \'/\'',
    '    --reference=RFILE\tUse RFILE\'s group',
    '-R, --recursive\t\tOperate on files and directories recursively',
    '-H\t\t\tWith -R, traverse a command-line symbolic link to a directory',
    '-L\t\t\tWith -R, traverse every symbolic link to a directory',
    '-P\t\t\tWith -R, do not traverse any symbolic links (default)',
    '',
    'GROUP is a name from /etc/group or a number.',
  ].join('\n'),
  options: OWNERSHIP_OPTIONS,
  run: (ctx) => changeOwnership(ctx, ctx.opts, 'chgrp'),
});
