# Programs for people, installed in $(bindir): several boards at once, one probe each.
dist_bin_SCRIPTS = scripts/stm32unbrick-many
