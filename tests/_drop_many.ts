/**
 * Test helper process: drops COUNT bottles from the vessel SENDER into the remote
 * vessel TARGET, one `dropBottle` after another, as one agent of a fleet would.
 * Failed deliveries stay queued (that is what the test then flushes); any other
 * failure exits 1. Prints `delivered N queued M`.
 *
 * ```sh
 * deno run -A tests/_drop_many.ts SENDER TARGET COUNT
 * ```
 *
 * @module
 */

import { DatumError } from "../core/errors.ts";
import { dropBottle } from "../mib/post.ts";
import { openVessel } from "../workshop/vessel.ts";

const [sender, target, count] = Deno.args;
const vessel = await openVessel(sender!);
let delivered = 0;
let queued = 0;
for (let i = 0; i < Number(count); i++) {
  try {
    await dropBottle(vessel, {
      to: "navigator",
      subject: `Sounding ${i} from ${vessel.agent}`,
      body: `Depth ${i} m.`,
    }, { toVessel: target!, commit: false });
    delivered++;
  } catch (error) {
    if (error instanceof DatumError && error.code === "delivery_failed") {
      queued++;
    } else throw error;
  }
}
// deno-lint-ignore no-console
console.log(`delivered ${delivered} queued ${queued}`);
