/*
 * CoreSight identification registers and the plain store/readback component
 * (see coresight_id.h for the layout and why the lock registers behave so).
 */
#include "coresight_id.h"

#include <string.h>

#include "sim_common.h"

#define CS_LAR     0xFB0u
#define CS_LSR     0xFB4u
#define CS_DEVARCH 0xFBCu
#define CS_DEVID   0xFC8u
#define CS_DEVTYPE 0xFCCu
#define CS_PIDR4   0xFD0u
#define CS_PIDR0   0xFE0u
#define CS_CIDR0   0xFF0u

bool cs_ident_read(const cs_ident *id, uint32_t offset, uint32_t *value)
{
	offset &= 0xFFCu;
	if (offset < CS_ID_BLOCK_START)
		return false;
	*value = 0;
	if (offset == CS_DEVARCH)
		*value = id->devarch;
	else if (offset == CS_DEVTYPE)
		*value = id->devtype;
	else if (offset == CS_PIDR4)
		*value = (uint32_t)(id->pidr >> 32) & 0xFFu;
	else if (offset >= CS_PIDR0 && offset < CS_CIDR0)
		*value = (uint32_t)(id->pidr >> (8u * ((offset - CS_PIDR0) / 4u))) & 0xFFu;
	else if (offset >= CS_CIDR0)
		*value = (id->cidr >> (8u * ((offset - CS_CIDR0) / 4u))) & 0xFFu;
	/* LAR is write-only, LSR reads 0 for the debugger, DEVID/PIDR5-7 are 0. */
	return true;
}

void cs_plain_init(cs_plain *c, const char *name, const cs_ident *id)
{
	memset(c, 0, sizeof(*c));
	c->name = name;
	c->id = *id;
}

void cs_plain_reset(cs_plain *c)
{
	memset(c->regs, 0, sizeof(c->regs));
	c->write_logged = false;
}

sim_bus_result cs_plain_read(cs_plain *c, uint32_t offset, uint32_t *value)
{
	offset &= 0xFFCu;
	if (cs_ident_read(&c->id, offset, value))
		return SIM_BUS_OK;
	*value = c->regs[offset / 4u];
	return SIM_BUS_OK;
}

sim_bus_result cs_plain_write(cs_plain *c, uint32_t offset, uint32_t value)
{
	offset &= 0xFFCu;
	if (offset == CS_LAR || offset == CS_LSR)
		return SIM_BUS_OK; /* no software lock on the debugger's path */
	if (offset >= CS_ID_BLOCK_START) {
		sim_log_guest_error("%s: write 0x%08x to read-only identification register +0x%03x",
				    c->name, (unsigned)value, (unsigned)offset);
		return SIM_BUS_OK;
	}
	c->regs[offset / 4u] = value;
	if (!c->write_logged) {
		c->write_logged = true;
		sim_log_unimplemented("%s: register +0x%03x = 0x%08x stored, behaviour not modelled",
				      c->name, (unsigned)offset, (unsigned)value);
	}
	return SIM_BUS_OK;
}
