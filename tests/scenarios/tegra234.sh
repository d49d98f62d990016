# shellcheck shell=bash
# Sourced by the tegra234 scenarios (tests/scenarios/run.sh): they build with
# PLATFORM=tegra234, checking configs against the real Jetson AGX Orin DT,
# which tools/tegra234-dtb.sh builds from Debian's linux-source-6.1 (the
# network once). Without it they say SKIP and why.
# shellcheck disable=SC2034 # PLATFORM is read by run.sh
PLATFORM=tegra234
TEGRA234_DTB=build/tegra234/tegra234-p3737-0000+p3701-0000.dtb

skip_reason() {
	[ -f "$TEGRA234_DTB" ] || ${SCENARIO_MAKE:-make} -s "$TEGRA234_DTB" >/dev/null 2>&1
	[ -f "$TEGRA234_DTB" ] ||
		echo "the Tegra234 DTB is unavailable ($(cat "$TEGRA234_DTB.unavailable" 2>/dev/null || echo "$TEGRA234_DTB not built"))"
}
