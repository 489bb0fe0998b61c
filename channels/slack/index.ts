export { slackDmChannel } from './dm.js';
