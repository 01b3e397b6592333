# Sourced by .ci/run and the msix launcher: exports JAVA_HOME pointing at a JDK 21 or newer.
# Order: $JAVA_HOME if it is 21+, then the newest 21+ JDK in the usual install places, then the
# java on PATH. Prints a clear message and returns 1 when there is none.

msix_jdk_major() { # $1 = a JDK home; prints its major version, or nothing
  local home=$1 version=""
  [[ -x "$home/bin/java" && -x "$home/bin/javac" ]] || return 0
  if [[ -f "$home/release" ]]; then
    version=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$home/release")
  fi
  if [[ -z $version ]]; then
    version=$("$home/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  version=${version#1.}
  echo "${version%%[.+-]*}"
}

msix_find_jdk() {
  local wanted=21 candidate major best="" best_major=0
  if [[ -n ${JAVA_HOME:-} ]]; then
    major=$(msix_jdk_major "$JAVA_HOME")
    if [[ -n $major && $major -ge $wanted ]]; then
      return 0
    fi
    echo "msix: JAVA_HOME=$JAVA_HOME is not a JDK $wanted+ (found '${major:-none}'); looking elsewhere" >&2
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* /usr/local/jdk* \
                   "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/* \
                   /Library/Java/JavaVirtualMachines/*/Contents/Home; do
    [[ -d $candidate && ! -L $candidate ]] || continue
    major=$(msix_jdk_major "$candidate")
    if [[ -n $major && $major -ge $wanted && $major -gt $best_major ]]; then
      best=$candidate best_major=$major
    fi
  done
  if [[ -z $best ]] && command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    major=$(msix_jdk_major "$candidate")
    [[ -n $major && $major -ge $wanted ]] && best=$candidate
  fi
  if [[ -z $best ]]; then
    echo "msix: no JDK $wanted or newer found (looked at JAVA_HOME, /usr/lib/jvm, /opt, ~/.sdkman, PATH)." >&2
    echo "msix: install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
    return 1
  fi
  export JAVA_HOME=$best
}
