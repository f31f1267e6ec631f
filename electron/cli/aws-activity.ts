// Entry of out/cli/aws-activity.cjs: the recorder the session `aws` shim hands each call to (`record`),
// and the node fallback wrapper (`wrap`) used where perl is missing. Kept out of the main CLI bundle so it
// loads only what it needs.
import { recorderMain } from '../node/activity';

recorderMain(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  () => {
    process.exitCode = 1;
  },
);
