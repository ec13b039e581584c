#pragma once
// TOLLGATE_OWN_ALLOCATOR: defined when a sanitizer replaces malloc, so tests of glibc's heap
// (its accounting, huge pages over it) do not run. GCC says __SANITIZE_ADDRESS__; clang (the
// sanitizer build) only answers __has_feature.
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define TOLLGATE_OWN_ALLOCATOR 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer) || __has_feature(memory_sanitizer)
#define TOLLGATE_OWN_ALLOCATOR 1
#endif
#endif
