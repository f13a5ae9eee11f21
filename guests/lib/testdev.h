/*
 * guests/lib/testdev.h: reaching the hypervisor's test device
 * (devices/testdev.h, the guest description's testdev=on) from a 64-bit
 * guest. The page tables the loader gives a guest map only its RAM, so the
 * device's page is mapped here, uncached, in tables of the guest's own.
 */
#ifndef GUESTS_LIB_TESTDEV_H
#define GUESTS_LIB_TESTDEV_H

#include <stdint.h>

#include "devices/testdev.h"

/* Load page tables that map the first GiB (RAM) and the test device;
 * returns the device's scratch register. */
volatile uint64_t *testdev_map(void);

#endif
