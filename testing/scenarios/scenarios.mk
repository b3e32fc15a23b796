# The simulator's scenarios, installed as documentation with the images they load, so that
# `stm32sim --scenario <docdir>/scenarios/seed000-h743-rdp-bb.scn` works on an installed system
# (issue 7 section 5: a test bench for people's own OpenOCD-based CI flows).
# Scenarios name their images relative to their own directory (`flash.load = ADDR images/x.bin`),
# so images/ keeps its place next to them.  <docdir> is <prefix>/share/doc/stm32unbrick.
scenariosdir = $(docdir)/scenarios
dist_scenarios_DATA = \
	testing/scenarios/README.md \
	testing/scenarios/h723-factory-fresh.scn \
	testing/scenarios/h723-rdp1-secure-area.scn \
	testing/scenarios/h743-boot0-recovery.scn \
	testing/scenarios/h743-factory-fresh.scn \
	testing/scenarios/h743-firmware-kills-debug.scn \
	testing/scenarios/h743-fw-standby.scn \
	testing/scenarios/h743-fw-stop.scn \
	testing/scenarios/h743-healthy.scn \
	testing/scenarios/h743-rdp1-pcrop.scn \
	testing/scenarios/h743-rdp1.scn \
	testing/scenarios/h743-rdp2.scn \
	testing/scenarios/h743-supply-lockout.scn \
	testing/scenarios/h745-factory-fresh.scn \
	testing/scenarios/h7a3-factory-fresh.scn \
	testing/scenarios/seed000-h743-rdp-bb.scn \
	testing/scenarios/seed001-h735-ldo-fw-smps.scn \
	testing/scenarios/seed001-h745-smps-fw-ldo.scn \
	testing/scenarios/seed001-h755-bcm7-off.scn \
	testing/scenarios/seed002-h747-fw-kills-debug.scn \
	testing/scenarios/seed003-h743-revV.scn

scenarioimagesdir = $(scenariosdir)/images
dist_scenarioimages_DATA = \
	testing/scenarios/images/README.md \
	testing/scenarios/images/app-loop.bin \
	testing/scenarios/images/app-loop-cm4.bin
