# Man pages: stm32unbrick(7) (the recovery commands, the module's subcommands, error lines
# and what fixes them) and stm32sim(1) (the simulator), installed under $(mandir).
# docs/symptoms.md is the long form of the man page's SYMPTOMS section.
dist_man_MANS = doc/stm32unbrick.7 doc/stm32sim.1
EXTRA_DIST += docs/symptoms.md
