/*
 * kernel/errno.h: the negative error codes that functions failing for
 * reasons outside our control return. Linux's numbers, so they read the
 * same to anyone who knows them.
 */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define ENOENT          2       /* no such thing */
#define EIO             5       /* the device did not do it */
#define E2BIG           7       /* too large */
#define ENOEXEC         8       /* not an image we can load */
#define ENOMEM          12      /* out of memory */
#define EFAULT          14      /* an address outside what the caller owns */
#define EBUSY           16      /* in use */
#define EEXIST          17      /* already there */
#define ENODEV          19      /* no such device */
#define EINVAL          22      /* bad argument */
#define ENOSPC          28      /* no room left in a table */
#define ERANGE          34      /* out of range */
#define ENOSYS          38      /* not implemented */
#define ETIMEDOUT       110     /* the hardware did not answer in time */

#endif
