/*
 * kernel/compiler.h: small language helpers shared by every file.
 * Freestanding: only the compiler's own headers are used.
 */
#ifndef KERNEL_COMPILER_H
#define KERNEL_COMPILER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BIT(n)              ((uint64_t)1 << (n))
#define ARRAY_SIZE(a)       (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)      (((x) + ((a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)    ((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)    (((x) & ((__typeof__(x))(a) - 1)) == 0)
#define MIN(a, b)           ((a) < (b) ? (a) : (b))
#define MAX(a, b)           ((a) > (b) ? (a) : (b))

#define KiB(x)              ((uint64_t)(x) << 10)
#define MiB(x)              ((uint64_t)(x) << 20)
#define GiB(x)              ((uint64_t)(x) << 30)

#define __packed            __attribute__((packed))
#define __aligned(n)        __attribute__((aligned(n)))
#define __noreturn          __attribute__((noreturn))
#define __printf(a, b)      __attribute__((format(printf, a, b)))
#define __unused            __attribute__((unused))
#define __section(s)        __attribute__((section(s)))

#define likely(x)           __builtin_expect(!!(x), 1)
#define unlikely(x)         __builtin_expect(!!(x), 0)

#define STATIC_ASSERT(c, m) _Static_assert(c, m)

#endif
