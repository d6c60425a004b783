//! Peak live heap of one in-process generation, counted by the xtask binary's global allocator.
//!
//! Peak RSS (see `measure`) is what the operating system charges, but it includes a fixed cost
//! that does not depend on the spec: the executable's code pages, the C runtime, malloc arenas,
//! thread stacks. The live-heap peak is what the generator itself holds for a given input, so
//! it is the number to compare with the input's size.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The system allocator, counting live bytes and their high-water mark.
pub struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

fn grew(by: usize) {
    let live = LIVE.fetch_add(by, Ordering::Relaxed) + by;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

fn shrank(by: usize) {
    LIVE.fetch_sub(by, Ordering::Relaxed);
}

// SAFETY: every call is forwarded unchanged to `System`; the counters are only bookkeeping.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            grew(layout.size());
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: same contract as the caller's.
        unsafe { System.dealloc(ptr, layout) };
        shrank(layout.size());
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: same contract as the caller's.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            if new_size >= layout.size() {
                grew(new_size - layout.size());
            } else {
                shrank(layout.size() - new_size);
            }
        }
        new
    }
}

/// Generates `spec` into `out` in this process, as the `sdkgen` binary does (read, generate,
/// write), and returns the peak of live heap bytes above what was live before. Nothing else
/// may allocate concurrently; the bench calls this between its other phases.
pub fn peak_of_generation(spec: &Path, out: &Path, crate_name: &str) -> Result<u64, String> {
    let _ = std::fs::remove_dir_all(out);
    let job = sdkgen::Job::new(spec, Some(crate_name), None)?;
    let before = LIVE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    let output = job.run().map_err(|d| d.to_string())?;
    sdkgen::output::write(out, &output.files).map_err(|e| format!("{}: {e}", out.display()))?;
    drop(output);
    let peak = PEAK.load(Ordering::Relaxed).saturating_sub(before);
    Ok(u64::try_from(peak).unwrap_or(u64::MAX))
}
