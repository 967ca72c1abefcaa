// The refresh's one script: the capability probe, then the observation, in one shell on one
// channel. A second channel costs each host an sshd session and a shell (about 3 ms of a Dom0's
// CPU), on every host of every refresh. The probe runs in a subshell, so that its variables,
// PATH, `cd` and exit trap (which deletes its throwaway links) end before the observation
// starts, and a probe that fails cannot stop the observation. Its stdin is /dev/null (probeInput),
// so a tool in the probe that read stdin cannot eat the observation.
import { PROBE_SCRIPT, probeInput } from '../capabilities/probe-script.js';
import { OBSERVE_COMMAND, OBSERVE_FORMAT, OBSERVE_SCRIPT } from './observe-script.js';
import { sh, type Sh } from '../shell/quote.js';

export const REFRESH_COMMAND = OBSERVE_COMMAND;

/** The two scripts as one (exported for the tests, which run it with stand-ins). */
export function refreshScript(probe: Sh, observe: Sh): Sh {
  return sh`${probeInput(probe)}${observe}`;
}

export const REFRESH_SCRIPT = refreshScript(PROBE_SCRIPT, OBSERVE_SCRIPT);

/** The observation starts at its first line; every probe line starts with one of the probe's own keys. */
const OBSERVE_START = `observe ${OBSERVE_FORMAT}\n`;

/** Splits the refresh's output into the probe's and the observation's. */
export function splitRefreshOutput(stdout: string): { probe: string; observe: string } {
  const at = `\n${stdout}`.indexOf(`\n${OBSERVE_START}`);
  return at < 0 ? { probe: stdout, observe: '' } : { probe: stdout.slice(0, at), observe: stdout.slice(at) };
}
