#!/usr/bin/env python3
"""tests/mmdb-write.py OUT.mmdb CIDR=CC... — write a tiny IPv6 MaxMind DB
(format 2.0, https://maxmind.github.io/MaxMind-DB/) mapping each IPv4 or
IPv6 prefix to {"country": {"iso_code": CC}}, for the report's GeoIP test.
IPv4 prefixes are placed at ::a.b.c.d/96+n, where libmaxminddb looks IPv4
addresses up in an IPv6 database."""
import ipaddress
import struct
import sys


def ctrl(t, size):
    """Control byte(s) of type t with payload size (< 29)."""
    assert size < 29
    if t <= 7:
        return bytes([(t << 5) | size])
    return bytes([size, t - 7])


def enc_str(s):
    b = s.encode()
    return ctrl(2, len(b)) + b


def enc_uint(t, v):
    b = v.to_bytes((v.bit_length() + 7) // 8, "big") if v else b""
    return ctrl(t, len(b)) + b


def enc(v):
    if isinstance(v, str):
        return enc_str(v)
    if isinstance(v, dict):
        out = ctrl(7, len(v))
        for k, x in v.items():
            out += enc_str(k) + enc(x)
        return out
    if isinstance(v, list):
        return ctrl(11, len(v)) + b"".join(enc(x) for x in v)
    if isinstance(v, tuple):  # (type, value) for unsigned integers
        return enc_uint(*v)
    raise TypeError(v)


def main():
    out, specs = sys.argv[1], sys.argv[2:]
    data = b""
    offsets = {}
    nodes = [[None, None]]  # each record: None (empty), ("n", i) or ("d", off)
    for spec in specs:
        cidr, cc = spec.split("=")
        net = ipaddress.ip_network(cidr)
        if net.version == 4:
            bits = format(int(net.network_address), "0128b")[:96 + net.prefixlen]
            bits = "0" * 96 + bits[96:]
        else:
            bits = format(int(net.network_address), "0128b")[:net.prefixlen]
        if cc not in offsets:
            offsets[cc] = len(data)
            data += enc({"country": {"iso_code": cc}})
        node = 0
        for i, bit in enumerate(bits):
            side = int(bit)
            if i == len(bits) - 1:
                nodes[node][side] = ("d", offsets[cc])
                break
            rec = nodes[node][side]
            if rec is None or rec[0] != "n":
                nodes.append([None, None])
                nodes[node][side] = ("n", len(nodes) - 1)
            node = nodes[node][side][1]
    n = len(nodes)

    def val(rec):
        if rec is None:
            return n
        return rec[1] if rec[0] == "n" else n + 16 + rec[1]

    tree = b"".join(struct.pack(">I", val(l))[1:] + struct.pack(">I", val(r))[1:] for l, r in nodes)
    meta = enc({
        "node_count": (6, n), "record_size": (5, 24), "ip_version": (5, 6),
        "database_type": "unscatter-test-country", "languages": ["en"],
        "binary_format_major_version": (5, 2), "binary_format_minor_version": (5, 0),
        "build_epoch": (9, 1700000000), "description": {"en": "unscatter test database"},
    })
    with open(out, "wb") as f:
        f.write(tree + b"\0" * 16 + data + b"\xab\xcd\xefMaxMind.com" + meta)


if __name__ == "__main__":
    main()
