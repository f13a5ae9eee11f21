/*
 * kernel/spinlock.h: a ticket lock for state that several CPUs will share
 * (the console, the frame allocator, the heap). Interrupts are left as they
 * are: code that takes a lock from an interrupt handler must disable them.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include "kernel/compiler.h"
#include "kernel/x86.h"

struct spinlock {
	volatile uint32_t next;
	volatile uint32_t owner;
};

#define SPINLOCK_INIT { 0, 0 }

static inline void
spin_lock(struct spinlock *l)
{
	uint32_t me = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != me)
		cpu_relax();
}

static inline void
spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

/* For panic paths: take the lock if it comes free soon, else go on without it. */
static inline bool
spin_lock_timeout(struct spinlock *l, uint32_t spins)
{
	uint32_t owner = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
	uint32_t next = owner;

	while (spins--) {
		if (__atomic_compare_exchange_n(&l->next, &next, next + 1, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return true;
		next = __atomic_load_n(&l->owner, __ATOMIC_ACQUIRE);
		cpu_relax();
	}
	return false;
}

#endif
