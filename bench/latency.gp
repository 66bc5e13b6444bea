# Round-trip latency percentiles per mechanism (scenario a).
# gnuplot -e "data='latency.dat'; out='latency.png'; subtitle='...'" latency.gp
if (!exists("subtitle")) subtitle = ""
set terminal pngcairo size 1200,720 font "DejaVu Sans,11"
set output out
set title "Round trip between two processes, 64-byte messages\n{/*0.8 ".subtitle."}"
set xlabel "percentile"
set ylabel "round trip (microseconds, log scale)"
set logscale y
set format y "%g"
set grid xtics ytics mytics
set key outside right top
set xtics ("0%%" 0, "50%%" 0.30103, "90%%" 1, "99%%" 2, "99.9%%" 3, "99.99%%" 4)
set xrange [0:*]
stats data using 1 nooutput
plot for [i=0:STATS_blocks-1] data index i using 1:2 with linespoints lw 2 pt 7 ps 0.8 title columnheader(1)
