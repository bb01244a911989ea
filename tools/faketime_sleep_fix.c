/* Loaded before libfaketime by tools/run_at.sh: monotonic sleeps go straight to the kernel.
 *
 * libfaketime 0.9.10 (Debian 12) rewrites the deadline of
 * clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME) as if it were wall-clock time even when the
 * monotonic clock is not faked (DONT_FAKE_MONOTONIC=1), and the kernel refuses the result:
 * Python 3.11's time.sleep() fails with EINVAL (libfaketime issue #426). Faking the monotonic
 * clock instead is worse: Python's lock timeouts (sem_clockwait, which libfaketime does not
 * wrap) then wait for decades. With this, the wall clock is faked and the monotonic clock,
 * which only ever measures durations, stays real.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

int clock_nanosleep(clockid_t clock_id, int flags, const struct timespec *request,
                    struct timespec *remain) {
    static int (*next)(clockid_t, int, const struct timespec *, struct timespec *);
    if (clock_id == CLOCK_MONOTONIC) {
        return syscall(SYS_clock_nanosleep, clock_id, flags, request, remain) == 0 ? 0 : errno;
    }
    if (next == NULL) {
        next = (int (*)(clockid_t, int, const struct timespec *, struct timespec *))
            dlsym(RTLD_NEXT, "clock_nanosleep");
    }
    return next(clock_id, flags, request, remain);
}
