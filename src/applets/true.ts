import { defineApplet } from '../core/applet.js';

export default defineApplet({
  name: 'true',
  summary: 'Return an exit status of 0, doing nothing',
  usage: 'true',
  run: () => 0,
});
