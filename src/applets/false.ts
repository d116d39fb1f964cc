import { defineApplet } from '../core/applet.js';

export default defineApplet({
  name: 'false',
  summary: 'Return an exit status of 1, doing nothing',
  usage: 'false',
  run: () => 1,
});
