# Round-trip latency percentiles per mechanism (scenario a), written by
# `make bench`:  gnuplot -e "data='latency.dat'; out='latency.png'; subtitle='...'" latency.gp
# Blocks in the data file come in the order shmbox-bench runs them: pipe,
# unix, mq, msgq, condvar, futex, busy, busy-locked, Boost message_queue,
# iceoryx busy-poll, iceoryx WaitSet (these two only when RouDi ran),
# shmbox spin, shmbox no spin: shmbox's two are always the last two.
if (!exists("subtitle")) subtitle = ""
set terminal pngcairo size 1100,800 font "DejaVu Sans,11"
set output out
set title "Round trip between two processes, 64-byte messages: latency by percentile\n{/*0.8 ".subtitle."}"
set xlabel "percentile (last point: the maximum)"
set ylabel "round trip (microseconds, log scale)"
set logscale y
set format y "%g"
set grid xtics ytics mytics lc rgb "#dddddd"
set key below horizontal maxcols 3 width -4 spacing 1.2 noenhanced
set xtics ("0%%" 0, "50%%" 0.30103, "90%%" 1, "99%%" 2, "99.9%%" 3, "99.99%%" 4, "max" 4.30103)
set xrange [0:4.5]
set linetype 1 lc rgb "#4e79a7" lw 2 pt 7 ps 0.7
set linetype 2 lc rgb "#59a14f" lw 2 pt 7 ps 0.7
set linetype 3 lc rgb "#9c755f" lw 2 pt 7 ps 0.7
set linetype 4 lc rgb "#b07aa1" lw 2 pt 7 ps 0.7
set linetype 5 lc rgb "#d4b000" lw 2 pt 7 ps 0.7
set linetype 6 lc rgb "#76b7b2" lw 2 pt 6 ps 0.8 dt 2
set linetype 7 lc rgb "#333333" lw 2 pt 6 ps 0.8 dt 2
set linetype 8 lc rgb "#888888" lw 2 pt 6 ps 0.8 dt 3
set linetype 9 lc rgb "#1f3b73" lw 3 pt 9 ps 0.9
set linetype 10 lc rgb "#8c2d9c" lw 3 pt 11 ps 0.9
set linetype 11 lc rgb "#c26fd1" lw 3 pt 11 ps 0.9 dt 4
set linetype 20 lc rgb "#e15759" lw 4 pt 5 ps 0.9
set linetype 21 lc rgb "#f28e2b" lw 4 pt 5 ps 0.9
stats data using 1 nooutput
# The last two blocks (shmbox) in linetypes 20 and 21, the others in order.
plot for [i=0:STATS_blocks-1] data index i using 1:2 with linespoints \
     lt (i >= STATS_blocks-2 ? 20 + i - (STATS_blocks-2) : i+1) title columnheader(1)
