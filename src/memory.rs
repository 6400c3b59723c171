//! How much memory the process has allocated, counted by the allocator
//! the binary installs (`Counting`): the template sandbox stops a render
//! whose output grows without bound before the machine runs out.
//! Imports nothing of partnersite.

use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicUsize, Ordering};

static ALLOCATED: AtomicUsize = AtomicUsize::new(0);

/// Only allocations this large are counted: a shared counter touched by
/// every small allocation of every thread costs several percent of a build
/// (measured with perf), and output that grows without bound is made of
/// large allocations anyway.
const COUNTED: usize = 16 * 1024;

/// Bytes held in large allocations (see `COUNTED`), if the binary counts
/// them (0 when the allocator is not `Counting`, as in unit tests).
pub fn allocated() -> usize {
    ALLOCATED.load(Ordering::Relaxed)
}

/// An allocator that counts the bytes another one hands out.
pub struct Counting<A>(pub A);

// SAFETY: every call is passed on unchanged to the wrapped allocator; only
// a counter is updated beside it.
unsafe impl<A: GlobalAlloc> GlobalAlloc for Counting<A> {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as it is.
        let p = unsafe { self.0.alloc(layout) };
        if !p.is_null() && layout.size() >= COUNTED {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        if layout.size() >= COUNTED {
            ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        // SAFETY: the caller's contract is passed on as it is.
        unsafe { self.0.dealloc(ptr, layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as it is.
        let p = unsafe { self.0.alloc_zeroed(layout) };
        if !p.is_null() && layout.size() >= COUNTED {
            ALLOCATED.fetch_add(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is passed on as it is.
        let p = unsafe { self.0.realloc(ptr, layout, new_size) };
        if !p.is_null() {
            if new_size >= COUNTED {
                ALLOCATED.fetch_add(new_size, Ordering::Relaxed);
            }
            if layout.size() >= COUNTED {
                ALLOCATED.fetch_sub(layout.size(), Ordering::Relaxed);
            }
        }
        p
    }
}
