# Shell features a real script needs, run by dash and busybox sh, natively and in the sandbox.
# Output must match line for line (no pids or times are printed).
set -u
echo "pipeline: $(seq 1 200 | grep 7 | sort -r | head -20 | tr '\n' ' ' | wc -w)"
echo "nested: $(echo "$(echo inner | tr a-z A-Z)" | rev 2>/dev/null || echo no-rev)"
( cd /; echo "subshell cwd $PWD"; exit 4 ); echo "subshell status $?"
x=outer; ( x=inner ); echo "subshell keeps its variables: $x"
cat <<EOT | sed 's/^/  /'
here-doc with $x and $((6 * 7))
EOT
f() { local v="$1"; echo "f($v)"; return $(( ${#v} )); }
f hello; echo "f returned $?"
sleep 0.2 & a=$!
sleep 0.1 & b=$!
wait $b; echo "second job done: $?"
wait $a; echo "first job done: $?"
(exit 7) & wait $!; echo "background status $?"
sleep 5 & victim=$!
kill -TERM $victim; wait $victim; echo "killed job status $?"
trap 'echo "trapped USR1"' USR1
kill -USR1 $$; echo "after USR1"
( trap 'echo "subshell got TERM"; exit 3' TERM; kill -TERM $(sh -c 'echo $PPID'); sleep 1 ); echo "trap TERM status $?"
i=0; while [ $i -lt 200 ]; do /bin/true; i=$((i+1)); done; echo "ran $i processes"
seq 1 20 | xargs -P 4 -n 5 sh -c 'echo $(( $1 + $2 + $3 + $4 + $5 ))' sh | sort -n | tr '\n' ' '; echo
if (set -e; false; echo "not reached"); then echo "set -e failed"; else echo "set -e stops a subshell"; fi
echo "case: $(case abc in a*) echo starts-with-a;; *) echo other;; esac)"
for w in one two three; do printf '%s.' "$w"; done; echo
trap 'echo "EXIT trap runs last"' EXIT
echo "end of script"
