# Sourced by the load scripts: `use_jdk MIN` exports JAVA_HOME (and puts its bin first on PATH) for the
# first JDK of at least major version MIN among $JAVA_HOME, Temurin 25 and the rest of /usr/lib/jvm.
use_jdk() {
  local min=$1 home major
  for home in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*; do
    home="${home%/}"
    [ -n "$home" ] && [ -x "$home/bin/java" ] && [ -x "$home/bin/javac" ] || continue
    major=$("$home/bin/java" -version 2>&1 | awk -F'"' '/version/ { split($2, v, "."); print v[1]; exit }')
    if [ "${major:-0}" -ge "$min" ]; then
      export JAVA_HOME="$home" PATH="$home/bin:$PATH"
      return
    fi
  done
  echo "error: needs a JDK $min+ (set JAVA_HOME, or install one under /usr/lib/jvm)" >&2
  exit 1
}
