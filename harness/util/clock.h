/* clock.h - the one monotonic clock: durations, deadlines and timers of the
 * request loop, the sandboxes and the simulator all read it. */
#ifndef TB_CLOCK_H
#define TB_CLOCK_H

/* milliseconds on the monotonic clock (CLOCK_MONOTONIC): only differences
 * mean anything, and they never jump when the wall clock is set */
double clock_ms(void);

#endif
