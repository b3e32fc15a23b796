#!/usr/bin/env python3
"""factory_options restores every option byte a dual-core H755 can change
outside a regression (the vendor tool refuses 0x450 dual-core parts), and
saves the previous values first."""

import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from simharness import Sim, Tap, check, openocd  # noqa: E402

ODD = ("part = stm32h755zi\nBOOT_CM7_ADD0 = 0x2400\nBCM4 = 0\nNRST_STBY_D1 = 0\nWRPSN1 = 0xF0\n"
       "IWDG1_SW = 0\nBOR_LEV = 2\n")


def case_h755_factory_restore():
    with Sim(ODD, name="factory") as sim:
        fresh = Sim("part = stm32h755zi\n", name="fresh").start()
        try:
            factory = openocd(fresh, "catch init", "shutdown", files=["recovery/h755.cfg"]).state
        finally:
            fresh.cleanup()
        run = openocd(sim, "cd %s" % sim.dir, "factory_options", "shutdown", files=["recovery/h755.cfg"])
        check(run.rc == 0, "factory_options failed", run.tail())
        check(run.state["option_fields"] == factory["option_fields"], "option bytes are not the factory ones",
              {k: (run.state["option_fields"][k], factory["option_fields"][k])
               for k in factory["option_fields"] if run.state["option_fields"][k] != factory["option_fields"][k]})
        saved = [d for d in os.listdir(sim.dir) if d.startswith("stm32unbrick-backup-")]
        check(saved and os.path.exists(os.path.join(sim.dir, saved[0], "option-bytes.txt")), "no backup", saved)


def case_dry_run_changes_nothing():
    with Sim(ODD, name="factory-dry") as sim:
        before = openocd(sim, "catch init", "shutdown", files=["recovery/h755.cfg"]).state
        run = openocd(sim, "factory_options -dry-run", "shutdown", files=["recovery/h755.cfg"])
        check(run.rc == 0 and "BCM4" in run.output, "dry run did not list BCM4", run.tail())
        check(run.state["option_bytes"] == before["option_bytes"], "dry run changed option bytes")


def main():
    tap = Tap()
    tap.case("factory_options on a dual-core H755: factory values, old ones saved", case_h755_factory_restore)
    tap.case("factory_options -dry-run changes nothing", case_dry_run_changes_nothing)
    return tap.done()


if __name__ == "__main__":
    sys.exit(main())
