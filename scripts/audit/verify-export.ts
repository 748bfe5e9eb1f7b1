// `npm run audit:verify -- <export> --manifest m.json --public-key key.pem [...]`: see lib/server/audit-verification/audit-verify-command.ts.
// Exit 0 VERIFIED, 1 BROKEN, 2 UNVERIFIED (no trusted key, or something the file cannot prove), 3 usage.
import { auditVerifyCommand } from "../../lib/server/audit-verification/audit-verify-command";

const { exitCode, stdout, stderr } = auditVerifyCommand(process.argv.slice(2));
for (const line of stdout) console.log(line);
for (const line of stderr) console.error(line);
process.exit(exitCode);
