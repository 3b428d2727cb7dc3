// SPDX-License-Identifier: GPL-2.0
/*
 * parown glue: plain functions around the parport core's macros and struct
 * fields, for the Rust side of parown. See parown_glue.h.
 */

#include <linux/module.h>
#include <linux/parport.h>

#include "parown_glue.h"

/* Set before the driver is registered, cleared after it is unregistered. */
static const struct parown_glue_driver *glue_driver;

static void parown_match_port(struct parport *port)
{
	glue_driver->attach(glue_driver->ctx, port);
}

static void parown_detach(struct parport *port)
{
	glue_driver->detach(glue_driver->ctx, port);
}

/*
 * No .probe: the core then binds pardevices whose name equals the driver
 * name, which is how parown names its own.
 */
static struct parport_driver parown_parport_driver = {
	.name = "parown",
	.match_port = parown_match_port,
	.detach = parown_detach,
};

int parown_glue_register_driver(const struct parown_glue_driver *drv)
{
	int ret;

	glue_driver = drv;
	ret = parport_register_driver(&parown_parport_driver);
	if (ret)
		glue_driver = NULL;
	return ret;
}

void parown_glue_unregister_driver(void)
{
	/* Calls detach for every port, then no callback runs any more. */
	parport_unregister_driver(&parown_parport_driver);
	glue_driver = NULL;
}

void parown_glue_get_port(struct parport *port)
{
	parport_get_port(port);
}

void parown_glue_put_port(struct parport *port)
{
	parport_put_port(port);
}

void parown_glue_port_info(const struct parport *port,
			   struct parown_glue_port_info *info)
{
	info->number = port->number;
	info->irq = port->irq;
	info->dma = port->dma;
	info->modes = port->modes;
	info->base = port->base;
	info->base_hi = port->base_hi;
}
