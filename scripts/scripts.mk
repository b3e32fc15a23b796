# Programs for people, installed in $(bindir): several boards at once, one probe each.
dist_bin_SCRIPTS = scripts/stm32unbrick-many
# The code the core runs (H7 flash loader, blank check, ECC scan), and the script that assembles it.
EXTRA_DIST += src/flash/nor/stm32h7x_loader.S src/target/cm_blank.S src/target/cm_readable.S \
	scripts/gen-core-code
