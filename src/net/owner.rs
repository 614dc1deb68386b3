//! Who is at the other end of a loopback connection. A plain-`http` connector on a loopback
//! port is only as safe as the process listening there: another local user (or, for an
//! agent-proof proxy, an agent of the same user) that binds the port while the real service
//! is down — or binds `[::1]` while the service listens on `127.0.0.1` — would receive the
//! key. So before the first byte of a keyed request goes out on a new loopback connection,
//! byok looks up the server side of that very connection (by its 4-tuple, in
//! `/proc/net/tcp` and `/proc/net/tcp6`) and checks its owner's uid against the policy.
//!
//! The accepted socket is created by the kernel with the listening socket's owner, before
//! the server calls `accept`, so the lookup sees it as soon as `connect` returns; checking the
//! established connection rather than the listener leaves no window to swap listeners.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// Which owners of a loopback listener may receive a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OwnerPolicy {
    /// Whether this process's own uid is trusted: yes for a plain run (your own gateway),
    /// never for an agent-proof proxy (an agent runs as you).
    pub own_uid: bool,
    /// Service users configured for the connector (`service_user` in config.toml).
    pub services: Vec<u32>,
}

impl OwnerPolicy {
    /// `Err` says who is there and why that is refused.
    pub fn check(&self, owner: Option<u32>) -> Result<(), String> {
        let me = current_uid();
        match owner {
            Some(0) => Ok(()),
            Some(uid) if self.services.contains(&uid) => Ok(()),
            Some(uid) if uid == me && self.own_uid => Ok(()),
            Some(uid) if uid == me => Err(format!(
                "the port is held by a process of your own user (uid {uid}), which in \
                 agent-proof mode may be an agent"
            )),
            Some(uid) => Err(format!(
                "the port is held by another user (uid {uid}{})",
                user_name(uid).map(|n| format!(", {n}")).unwrap_or_default()
            )),
            None => Err("the process holding the port cannot be identified".into()),
        }
    }
}

/// The uid owning the server side of the TCP connection from `local` to `peer`, from
/// `/proc/net/tcp{,6}`; `None` when it is not listed.
pub fn connection_owner(local: SocketAddr, peer: SocketAddr) -> std::io::Result<Option<u32>> {
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = match std::fs::read_to_string(table) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(e),
        };
        if let Some(uid) = find_owner(&text, peer, local) {
            return Ok(Some(uid));
        }
    }
    Ok(None)
}

/// In a `/proc/net/tcp{,6}` table, the uid of the socket whose local end is `local` and
/// remote end is `remote` (IPv4 ends also match their IPv4-mapped IPv6 form).
fn find_owner(table: &str, local: SocketAddr, remote: SocketAddr) -> Option<u32> {
    table.lines().skip(1).find_map(|line| {
        let mut fields = line.split_whitespace();
        let _slot = fields.next()?;
        let l = parse_end(fields.next()?)?;
        let r = parse_end(fields.next()?)?;
        // state, tx:rx queues, timer, retransmits, then the uid.
        let uid = fields.nth(4)?.parse().ok()?;
        (same(l, local) && same(r, remote)).then_some(uid)
    })
}

fn same(a: SocketAddr, b: SocketAddr) -> bool {
    let ip = |addr: SocketAddr| match addr.ip() {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    };
    a.port() == b.port() && ip(a) == ip(b)
}

/// `0100007F:1F90` (IPv4) or 32 hex digits and a port (IPv6): the kernel prints each 32-bit
/// word of the address in host byte order.
fn parse_end(text: &str) -> Option<SocketAddr> {
    let (addr, port) = text.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let word = |hex: &str| u32::from_str_radix(hex, 16).ok().map(u32::from_be);
    let ip = match addr.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(addr)?.to_be_bytes())),
        32 => {
            let mut bytes = [0u8; 16];
            for (i, chunk) in bytes.chunks_mut(4).enumerate() {
                let w = word(addr.get(i * 8..i * 8 + 8)?)?;
                chunk.copy_from_slice(&w.to_be_bytes());
            }
            IpAddr::V6(Ipv6Addr::from(bytes))
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

/// This process's real uid.
pub fn current_uid() -> u32 {
    #[cfg(unix)]
    {
        rustix::process::getuid().as_raw()
    }
    #[cfg(not(unix))]
    {
        u32::MAX
    }
}

/// A user name (from /etc/passwd) or a number, as a uid.
pub fn resolve_user(name: &str) -> Option<u32> {
    if let Ok(uid) = name.parse() {
        return Some(uid);
    }
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        (fields.next()? == name).then_some(())?;
        fields.nth(1)?.parse().ok()
    })
}

fn user_name(uid: u32) -> Option<String> {
    let passwd = std::fs::read_to_string("/etc/passwd").ok()?;
    passwd.lines().find_map(|line| {
        let mut fields = line.split(':');
        let name = fields.next()?;
        (fields.nth(1)?.parse::<u32>().ok()? == uid)
            .then(|| crate::term::sanitize::line(name).into_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proc_net_ends_parse_in_host_word_order() {
        assert_eq!(
            parse_end("0100007F:1F90"),
            Some("127.0.0.1:8080".parse().unwrap())
        );
        assert_eq!(
            parse_end("00000000000000000000000001000000:0050"),
            Some("[::1]:80".parse().unwrap())
        );
        assert_eq!(
            parse_end("0000000000000000FFFF00000100007F:1F90"),
            Some("[::ffff:127.0.0.1]:8080".parse().unwrap())
        );
        assert_eq!(parse_end("zz:1"), None);
    }

    #[test]
    fn the_server_side_of_a_connection_is_found_by_its_four_ends() {
        let table = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n\
           0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000        0 1 1\n\
           1: 0100007F:1F90 0100007F:C350 01 00000000:00000000 00:00000000 00000000  4242        0 2 1\n\
           2: 0100007F:C350 0100007F:1F90 01 00000000:00000000 00:00000000 00000000     7        0 3 1\n";
        let server: SocketAddr = "127.0.0.1:8080".parse().unwrap();
        let client: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        assert_eq!(find_owner(table, server, client), Some(4242));
        assert_eq!(find_owner(table, client, server), Some(7));
        let other: SocketAddr = "127.0.0.1:50001".parse().unwrap();
        assert_eq!(find_owner(table, server, other), None);
    }

    #[test]
    fn a_live_connection_is_owned_by_this_process() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let stream = std::net::TcpStream::connect(listener.local_addr().unwrap()).unwrap();
        let owner = connection_owner(stream.local_addr().unwrap(), stream.peer_addr().unwrap());
        assert_eq!(owner.unwrap(), Some(current_uid()));
    }

    #[test]
    fn the_policy_trusts_root_configured_services_and_maybe_yourself() {
        let me = current_uid();
        let plain = OwnerPolicy {
            own_uid: true,
            services: vec![4242],
        };
        assert!(plain.check(Some(0)).is_ok());
        assert!(plain.check(Some(4242)).is_ok());
        assert!(plain.check(Some(me)).is_ok());
        assert!(plain.check(Some(me.wrapping_add(7777))).is_err());
        assert!(plain.check(None).is_err());
        let agent_proof = OwnerPolicy {
            own_uid: false,
            services: Vec::new(),
        };
        if me != 0 {
            let why = agent_proof.check(Some(me)).unwrap_err();
            assert!(why.contains("agent-proof"), "{why}");
        }
        assert_eq!(resolve_user("0"), Some(0));
        assert_eq!(resolve_user("root"), Some(0));
        assert_eq!(resolve_user("no-such-user-byok"), None);
    }
}
