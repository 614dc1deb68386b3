# Benchmark vaults, shared by scripts/bench-get and scripts/bench-callgrind (sourced, not run).
#
# bench_vault HOME N builds a byok home whose vault.age holds N secrets secret_00000…: a
# format 3 document written here by python, sealed with the identity's MAC as byok seals the
# home vault (src/store/vault/doc.rs, `seal`), and encrypted with the reference `age` CLI, so
# the setup also exercises interop. bench_target N is the middle secret, bench_value N its
# api_key; bench_check HOME N fails unless `byok secret get` prints that value.
#
# Needs: age, age-keygen, python3, and $byok (the byok binary) set by the caller.

bench_vault() { # HOME N
  local home=$1 n=$2
  BYOK_HOME=$home "$byok" init --no-passphrase 2>/dev/null
  python3 - "$n" "$home/identity.txt" > "$home.plain.json" <<'PY'
import hashlib, hmac, json, sys
n = int(sys.argv[1])
identity = next(l.strip() for l in open(sys.argv[2]) if l.startswith("AGE-SECRET-KEY-"))
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
plain = json.dumps({"byok_vault": 3, "secrets": secrets}, indent=2) + "\n"
key = hashlib.sha256(b"byok vault.age document mac v1\0" + identity.encode()).digest()
tag = hmac.new(key, plain.encode(), hashlib.sha256).hexdigest()
sys.stdout.write(plain[: -len("\n}\n")] + ',\n  "mac": "' + tag + '"\n}\n')
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
