# Included with -DCMAKE_PROJECT_INCLUDE=<this file> by tests/sanitize.sh to
# build everything with ThreadSanitizer. Directory-wide options, like
# BAREURING_SANITIZE's ASan+UBSan: bareuring_drop_sanitizers (src/) removes
# them again from the drop-in shared libraries, which are loaded by
# uninstrumented programs. -Wno-tsan: GCC warns that TSan does not model
# atomic_thread_fence (io_uring_smp_mb); the fences order accesses against
# the kernel, which TSan cannot see anyway.
add_compile_options(-fsanitize=thread -fno-omit-frame-pointer -Wno-tsan)
add_link_options(-fsanitize=thread)
