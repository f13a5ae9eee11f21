#!/bin/bash
# test/system/run.sh: the system test tier. Each test boots an image in an
# engine (scripts/boot.sh), captures the serial port to build/test/NAME.serial
# and checks it; up to JOBS tests (default: the CPU count) run at once.
#
#   test/system/run.sh -r RESULTS [-s] [NAME...]
#
# Appends one line per test to RESULTS ("PASS name", "FAIL name", "SKIP name")
# for test/run.sh to count. -s also runs the tests marked "slow". NAMEs pick
# tests (default: those in $TESTS, else every test/system/*.test).
#
# A test is test/system/NAME.test, one directive a line ('#' starts a comment
# line); always.expect is read before every test:
#   engine  qemu-kernel|qemu-bios|qemu-uefi|bochs      (see scripts/boot.sh)
#   cmdline WORDS      the hypervisor's command line: -append for qemu-kernel,
#                      else a variant ISO build/test/NAME.iso is made for it
#   entry   N          boot GRUB menu entry N (0 Multiboot2, 1 Multiboot1)
#   guest   FILE DESC  a guest module: build/guests/FILE with description DESC
#                      (vm/guest_desc.h), once per guest; a variant ISO with
#                      exactly these guests is made (scripts/mkiso.sh -g).
#                      Without it an ISO test gets the default image's guests,
#                      a variant ISO none.
#   linux   BZIMAGE INITRD [CMDLINE]
#                      a variant ISO whose menu entry 2 boots this Linux
#                      (build/BZIMAGE, build/INITRD) without the hypervisor
#                      (scripts/mkiso.sh -l); boot it with "entry 2". Bochs
#                      then has the MSRs Linux needs that it lacks
#                      (scripts/bochs-linux.msrs)
#   media   usb        QEMU boots the ISO as a USB stick (default: a CD)
#   media   stick      QEMU boots the USB stick image instead (make usb,
#                      scripts/mkusb.sh): our UEFI loader under qemu-uefi,
#                      GRUB from the BIOS boot partition under qemu-bios.
#                      cmdline and guest make a variant stick, as for the ISO
#   stick   OPTIONS    more scripts/mkusb.sh options for a variant stick
#                      build/test/NAME.img (-k PATH, -x BYTES: error paths)
#   until   REGEX      the run ends once a serial line matches (for a run the
#                      machine does not end itself, such as the firmware
#                      going on to its next boot option); the exit status is
#                      then not checked. A run that ends by itself must have
#                      printed such a line
#   timeout SECONDS    the engine is killed and the test fails after this
#   status  N          the engine's expected exit status (default: 33 for
#                      QEMU, "done"; 0 for Bochs)
#   expect  REGEX      some serial line must match (grep -E)
#   reject  REGEX      no serial line may match; checked while the engine runs,
#                      so a panic fails the test at once
#   order   REGEX      some serial line after the one the previous "order"
#                      line matched must match: the order lines of a test
#                      are lines that come in that order
#   send    REGEX TEXT once a serial line matching REGEX has appeared (after
#                      the line the previous send matched; an unfinished
#                      last line such as a prompt counts), TEXT is typed
#                      into the serial port. REGEX is one word (\s for a
#                      space; Python syntax, grep -E's [[:classes:]] too),
#                      TEXT the rest of the line, with C escapes \n \r \t
#                      \\ \xHH (\x01 is Ctrl-A). The serial port is then a
#                      socket to test/system/serial_io.py (boot.sh -t)
#   include NAME       read test/system/NAME.expect here (same directives)
#   xfail   REASON     a known bug: failing counts as skipped, with REASON;
#                      passing (XPASS) counts as a failure, so a stale xfail
#                      line cannot hide a later regression: remove the line
#   slow               run only by `make test-slow`
#   no-hypervisor      the hypervisor is not meant to start (a loader's error
#                      path): always.expect's expect lines are dropped, its
#                      reject lines stay
# A new boot-report line to check is one "expect" line in always.expect.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/../.."
dir=test/system
build=${BUILD:-build}
out=$build/test
tail_lines=40

results="" slow=0
while getopts "r:s" opt; do
	case $opt in
	r) results=$OPTARG ;;
	s) slow=1 ;;
	*) echo "usage: $0 -r RESULTS [-s] [NAME...]" >&2; exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[[ -n $results ]] || { echo "usage: $0 -r RESULTS [-s] [NAME...]" >&2; exit 2; }
mkdir -p "$out"

# --- reading a test ---------------------------------------------------------

# Fills the t_* variables from a .test or .expect file.
parse() {
	local file=$1 key rest
	[[ -f $file ]] || { echo "$file: no such test or include file" >&2; return 1; }
	while IFS= read -r line || [[ -n $line ]]; do
		[[ $line =~ ^[[:space:]]*(#|$) ]] && continue
		read -r key rest <<<"$line"
		case $key in
		engine) t_engine=$rest ;;
		cmdline) t_cmdline=$rest ;;
		entry) t_entry=$rest ;;
		guest) t_guests+=("$rest") ;;
		linux) t_linux=$rest ;;
		media) t_media=$rest ;;
		stick) t_stick=$rest ;;
		until) t_until=$rest ;;
		timeout) t_timeout=$rest ;;
		status) t_status=$rest ;;
		expect) t_expect+=("$rest") ;;
		reject) t_reject+=("$rest") ;;
		order) t_order+=("$rest") ;;
		send) t_send+=("$rest") ;;
		include) parse "$dir/$rest.expect" ;;
		xfail) t_xfail=$rest ;;
		slow) t_slow=1 ;;
		no-hypervisor) t_nohv=1 ;;
		*) echo "$file: unknown directive '$key'" >&2; return 1 ;;
		esac
	done <"$file"
}

load() {
	t_engine="" t_cmdline="" t_entry="" t_media="" t_stick="" t_until="" t_timeout=60 t_status="" t_xfail="" t_slow=0
	t_expect=() t_reject=() t_guests=() t_order=() t_send=()
	t_nohv=0 t_linux=""
	parse "$dir/always.expect"
	local n_always=${#t_expect[@]}
	parse "$dir/$1.test"
	((!t_nohv)) || t_expect=("${t_expect[@]:n_always}")
	[[ -n $t_engine ]] || { echo "$dir/$1.test: no engine" >&2; return 1; }
	[[ -n $t_status ]] || { [[ $t_engine == bochs ]] && t_status=0 || t_status=33; }
}

# --- running a test ----------------------------------------------------------

# The serial log as text: no terminal escapes (GRUB draws its menu with
# them), no carriage returns or other control characters.
clean() {
	LC_ALL=C sed -E 's/\x1b\[[0-9;?=]*[A-Za-z]//g; s/\x1b[()][A-Z0-9]//g' "$1" 2>/dev/null |
		LC_ALL=C tr -d '\000-\010\013-\037'
}

# What an engine's exit status says.
status_meaning() {
	case $1:$2 in
	qemu*:33) echo "hypervisor done" ;;
	qemu*:35) echo "hypervisor stopped: no VMX" ;;
	qemu*:37) echo "hypervisor panic" ;;
	qemu*:0) echo "the machine reset or powered off: a triple fault?" ;;
	bochs:0) echo "hypervisor reached its final magic breakpoint" ;;
	bochs:1) echo "Bochs stopped on an error or a triple fault" ;;
	*:124) echo "timed out" ;;
	*:137 | *:143) echo "killed" ;;
	*) echo "engine failed" ;;
	esac
}

# Runs test $1; leaves "RESULT SECONDS" in $out/$1.result and what to show
# about it in $out/$1.report.
run_test() {
	local name=$1 image serial=$out/$1.serial work=$out/$1.d report=$out/$1.report
	local start=${EPOCHREALTIME/./} pid rc=0 hit="" why=() result ms pat

	: >"$report"
	# until this run says otherwise: a runner that dies never leaves an old PASS behind
	echo "FAIL 0" >"$out/$name.result"
	load "$name" 2>>"$report" || { echo "FAIL 0" >"$out/$name.result"; return 0; }
	rm -rf "$work" "$serial"
	mkdir -p "$work"

	case $t_media:$t_engine in
	*:qemu-kernel) image=$build/hypervisor32.elf ;;
	stick:*) image=$build/hypervisor-usb.img
		if [[ -n $t_cmdline || -n $t_stick || ${#t_guests[@]} -gt 0 ]]; then
			image=$out/$name.img
			local g sopts=() extra=()
			for g in "${t_guests[@]}"; do sopts+=(-g "$build/guests/$g"); done
			read -r -a extra <<<"$t_stick"
			if ! scripts/mkusb.sh "$image" "$build/hypervisor.elf" "$build/BOOTX64.EFI" \
				-c "$t_cmdline" "${sopts[@]}" "${extra[@]}" >>"$report" 2>&1; then
				echo "FAIL 0" >"$out/$name.result"
				return 0
			fi
		fi ;;
	*) image=$build/hypervisor.iso
		if [[ -n $t_cmdline || -n $t_entry || ${#t_guests[@]} -gt 0 || -n $t_linux ]]; then
			image=$out/$name.iso
			local g gopts=() bz initrd lcmd
			for g in "${t_guests[@]}"; do gopts+=(-g "$build/guests/$g"); done
			if [[ -n $t_linux ]]; then
				read -r bz initrd lcmd <<<"$t_linux"
				gopts+=(-l "$build/$bz $build/$initrd $lcmd")
			fi
			if ! scripts/mkiso.sh "$image" "$build/hypervisor.elf" "$build/hypervisor32.elf" \
				-d "${t_entry:-0}" -c "$t_cmdline" "${gopts[@]}" >>"$report" 2>&1; then
				echo "FAIL 0" >"$out/$name.result"
				return 0
			fi
		fi ;;
	esac
	local args=(-w "$work") io_pid="" send_args=() regex text
	if ((${#t_send[@]})); then
		# serial_io.py owns the serial file and types the send texts
		for pat in "${t_send[@]}"; do
			read -r regex text <<<"$pat"
			send_args+=(-e "$regex" "$text")
		done
		python3 "$dir/serial_io.py" -l "$serial" -p "$work/serial.port" "${send_args[@]}" \
			>"$work/serial_io.out" 2>&1 &
		io_pid=$!
		for _ in $(seq 50); do [[ -s $work/serial.port ]] || sleep 0.1; done
		if [[ ! -s $work/serial.port ]]; then
			{ echo "  serial_io.py did not start:"; sed 's/^/  | /' "$work/serial_io.out"; } >>"$report"
			kill "$io_pid" 2>/dev/null || true
			return 0
		fi
		args+=(-t "$(<"$work/serial.port")")
	else
		args+=(-s "$serial")
	fi
	[[ $t_media != usb && $t_media != stick ]] || args+=(-u)
	[[ -z $t_linux || $t_engine != bochs ]] || args+=(-M scripts/bochs-linux.msrs)
	args+=("$t_engine" "$image")
	[[ $t_engine != qemu-kernel ]] || args+=("$t_cmdline")

	# timeout(1) puts the engine in its own process group: one kill ends it all.
	timeout -k 5 "$t_timeout" scripts/boot.sh "${args[@]}" </dev/null >"$work/engine.out" 2>&1 &
	pid=$!
	local rejects=()
	for pat in "${t_reject[@]}"; do rejects+=(-e "$pat"); done
	local ended=0
	while kill -0 "$pid" 2>/dev/null; do
		if ((${#rejects[@]})) && hit=$(clean "$serial" | LC_ALL=C grep -E -m1 "${rejects[@]}"); then
			sleep 1          # let the panic report reach the serial file
			kill -TERM -- "-$pid" 2>/dev/null || true
			break
		fi
		if [[ -n $t_until ]] && clean "$serial" | LC_ALL=C grep -E -q -e "$t_until"; then
			ended=1
			kill -TERM -- "-$pid" 2>/dev/null || true
			break
		fi
		sleep 0.2
	done
	wait "$pid" || rc=$?
	if [[ -n $io_pid ]]; then
		sleep 0.5               # the last bytes on their way to the serial file
		kill "$io_pid" 2>/dev/null || true
		wait "$io_pid" 2>/dev/null || true
	fi
	ms=$(((${EPOCHREALTIME/./} - start) / 1000))

	clean "$serial" >"$work/serial.txt"
	# the engine may end by itself just after the until line, between two looks
	[[ -z $t_until ]] || ((ended)) || ! LC_ALL=C grep -E -q -e "$t_until" "$work/serial.txt" || ended=1
	[[ -n $hit || ${#rejects[@]} -eq 0 ]] || hit=$(LC_ALL=C grep -E -m1 "${rejects[@]}" "$work/serial.txt" || true)
	[[ -z $hit ]] || why+=("forbidden line on the serial port: $hit")
	if ((rc == 124)); then
		why+=("no exit within ${t_timeout} s")
	elif [[ -n $t_until ]] && ((!ended)) && ! LC_ALL=C grep -E -q -e "$t_until" "$work/serial.txt"; then
		why+=("$t_engine ended (status $rc, $(status_meaning "$t_engine" "$rc")) before a serial line matched: $t_until")
	elif [[ -z $hit && -z $t_until && $rc != "$t_status" ]]; then
		why+=("$t_engine exit status $rc ($(status_meaning "$t_engine" "$rc")), expected $t_status ($(status_meaning "$t_engine" "$t_status"))")
	fi
	for pat in "${t_expect[@]}"; do
		LC_ALL=C grep -E -q -e "$pat" "$work/serial.txt" || why+=("no serial line matches: $pat")
	done
	local after=0 at
	for pat in "${t_order[@]}"; do
		# no match, or tail cut short by grep -m1 (SIGPIPE), is no reason to end the runner
		at=$(tail -n "+$((after + 1))" "$work/serial.txt" | LC_ALL=C grep -E -n -m1 -e "$pat" | cut -d: -f1 || true)
		if [[ -z $at ]]; then
			why+=("no serial line after line $after matches (order): $pat")
			break
		fi
		after=$((after + at))
	done

	if ((${#why[@]} == 0)); then
		result=PASS
		[[ -z $t_xfail ]] || { result=XPASS; echo "  marked xfail, but passed: remove the xfail line ($t_xfail)" >>"$report"; }
	elif [[ -n $t_xfail ]]; then
		result=XFAIL
		echo "  known bug: $t_xfail" >>"$report"
	else
		result=FAIL
		{
			printf '  %s\n' "${why[@]}"
			[[ ! -s $work/engine.out ]] || { echo "  --- $t_engine said:"; tail -n 10 "$work/engine.out" | sed 's/^/  | /'; }
			[[ ! -s $work/serial_io.out ]] || { echo "  --- serial_io.py said:"; sed 's/^/  | /' "$work/serial_io.out"; }
			[[ $t_engine != bochs || ! -f $work/bochs.log ]] ||
				{ echo "  --- Bochs log (errors):"; { grep -E '^[0-9]+[ep]\[|triple fault' "$work/bochs.log" || true; } | tail -n 8 | sed 's/^/  | /'; }
			echo "  --- last $tail_lines lines of $serial:"
			tail -n "$tail_lines" "$work/serial.txt" | sed 's/^/  | /'
		} >>"$report"
	fi
	printf '%s %d.%d\n' "$result" $((ms / 1000)) $((ms % 1000 / 100)) >"$out/$name.result"
}

# --- the tier ----------------------------------------------------------------

(($#)) || read -r -a names_env <<<"${TESTS:-}"
if (($#)); then
	names=("$@")
elif ((${#names_env[@]})); then
	names=("${names_env[@]}")
else
	names=()
	for f in "$dir"/*.test; do names+=("$(basename "$f" .test)"); done
fi

# Longest time limits start first: the slow engines overlap the quick ones.
order=()
selected=()
for name in "${names[@]}"; do
	load "$name" || { echo "FAIL $name" >>"$results"; continue; }
	if ((t_slow && !slow)); then
		echo "SKIP $name" >>"$results"
		printf '%-6s %-22s (slow: make test-slow)\n' SKIP "$name"
		continue
	fi
	selected+=("$name")
	order+=("$t_timeout $name")
done
mapfile -t order < <(printf '%s\n' "${order[@]}" | sort -rn | cut -d' ' -f2)

jobs_max=${JOBS:-$(nproc)}
running=0
for name in "${order[@]}"; do
	[[ -n $name ]] || continue
	if ((running >= jobs_max)); then
		wait -n || true
		running=$((running - 1))
	fi
	run_test "$name" &
	running=$((running + 1))
done
wait

for name in "${selected[@]}"; do
	read -r result secs <"$out/$name.result" || result=FAIL secs=?
	printf '%-6s %-22s %5s s\n' "$result" "$name" "$secs"
	[[ ! -s $out/$name.report ]] || cat "$out/$name.report"
	case $result in
	PASS) echo "PASS $name" ;;
	XFAIL) echo "SKIP $name" ;;
	*) echo "FAIL $name" ;;
	esac >>"$results"
done
