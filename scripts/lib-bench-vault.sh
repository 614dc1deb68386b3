# Benchmark vaults, shared by scripts/bench-get and scripts/bench-callgrind (sourced, not run).
#
# bench_vault HOME N builds a byok home whose vault.age holds N secrets secret_00000…: a
# format 2 document written here by python and encrypted with the reference `age` CLI, so
# the setup also exercises interop. bench_target N is the middle secret, bench_value N its
# api_key; bench_check HOME N fails unless `byok secret get` prints that value.
#
# Needs: age, age-keygen, python3, and $byok (the byok binary) set by the caller.

bench_vault() { # HOME N
  local home=$1 n=$2
  BYOK_HOME=$home "$byok" init --no-passphrase 2>/dev/null
  python3 - "$n" > "$home.plain.json" <<'PY'
import json, sys
n = int(sys.argv[1])
now = "2026-11-01T00:00:00Z"
secrets = {
    f"secret_{i:05d}": {
        "label": f"Benchmark secret {i}",
        "provider": "openai",
        "created": now, "updated": now, "rotated": now,
        "fields": {"api_key": f"sk-test-{i:05d}-" + "x" * 40},
    }
    for i in range(n)
}
json.dump({"byok_vault": 2, "secrets": secrets}, sys.stdout, indent=2)
PY
  age -e -r "$(age-keygen -y "$home/identity.txt")" -o "$home/vault.age" "$home.plain.json"
  rm -f "$home.plain.json"
}

bench_target() { # N
  printf 'secret_%05d' $(($1 / 2))
}

bench_value() { # N
  printf 'sk-test-%05d-%s' $(($1 / 2)) "$(printf 'x%.0s' $(seq 40))"
}

bench_check() { # HOME N
  local got
  got=$(BYOK_HOME=$1 "$byok" secret get "$(bench_target "$2")")
  [ "$got" = "$(bench_value "$2")" ] || { echo "wrong value from byok secret get ($2 secrets)" >&2; return 1; }
}
