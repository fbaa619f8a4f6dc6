-- name: address_macros
-- address_norm(text): an address as logged, normalised by the rule exposure/formats/clientaddr.py parse_address
-- resolves a client with (the same rule in SQL; tests/test_address_norm.py holds the two equal on the same
-- inputs): surrounding blanks and double quotes off, a port (`a.b.c.d:port`, `[v6]:port`), brackets and a zone id
-- (`%eth0`) off (the address inside brackets whatever follows them: `[10.1.1.1](http://10.1.1.1)`, a log pasted
-- through Markdown, is read as filebeat reads it), IPv4 as written where valid (four decimal octets 0-255, no leading zero), IPv6 in its compressed
-- lower-case form (leading zeros off, the longest run of two or more zero groups, the first of equal ones, as
-- `::`), an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`) as its IPv4 address; NULL where it is no address (a
-- hostname, a word). Used where a log's X-Forwarded-For entries are compared with normalised addresses
-- (queries/tiers.sql).
CREATE OR REPLACE TEMP MACRO address_unwrapped(a) AS          -- quotes, a port, brackets, a zone id off
    split_part(CASE WHEN regexp_full_match(trim(trim(a), '"'), '[0-9.]+:[0-9]+')
                    THEN split_part(trim(trim(a), '"'), ':', 1)
                    WHEN regexp_matches(trim(trim(a), '"'), '^\[[^\]]+\]')   -- whatever follows the bracket
                    THEN regexp_extract(trim(trim(a), '"'), '^\[([^\]]+)\]', 1)
                    ELSE trim(trim(a), '"') END, '%', 1);
CREATE OR REPLACE TEMP MACRO address_v4(v) AS                 -- v where it is a valid IPv4 address, else NULL
    -- (four octets 0-255, no leading zero, in one pattern: a quarter of the time of splitting and casting them)
    CASE WHEN regexp_full_match(v, '(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}')
         THEN v END;
-- address_not_canonical(c): a client written in digits and dots that is no IPv4 address as a server writes one
-- (address_v4: four decimal numbers 0-255, no leading zero), `010.001.002.003`, `1.2.3`: exposure/clients.py
-- not_canonical, the same rule (network type `not canonical`; tests/test_not_canonical_address.py holds the two
-- equal); NULL for NULL. The finding `not canonical address` (queries/findings.sql) counts its requests.
CREATE OR REPLACE TEMP MACRO address_not_canonical(c) AS      -- digits and dots alone (translate: no GLOB's cost)
    translate(c, '0123456789.', '') = '' AND c <> '' AND address_v4(c) IS NULL;
CREATE OR REPLACE TEMP MACRO address_v4_as_hextets(v) AS      -- a trailing IPv4 part written as two groups
    CASE WHEN contains(v, ':') AND contains(v, '.') AND address_v4(regexp_extract(v, '[^:]*$')) IS NOT NULL
         THEN regexp_replace(v, '[^:]*$', '')
              || printf('%x:%x',
                        CAST(split_part(regexp_extract(v, '[^:]*$'), '.', 1) AS INTEGER) * 256
                        + CAST(split_part(regexp_extract(v, '[^:]*$'), '.', 2) AS INTEGER),
                        CAST(split_part(regexp_extract(v, '[^:]*$'), '.', 3) AS INTEGER) * 256
                        + CAST(split_part(regexp_extract(v, '[^:]*$'), '.', 4) AS INTEGER))
         ELSE v END;
CREATE OR REPLACE TEMP MACRO address_v6_side(part) AS         -- the groups on one side of '::'
    CASE part WHEN '' THEN []::VARCHAR[] ELSE string_split(part, ':') END;
CREATE OR REPLACE TEMP MACRO address_v6_groups(x) AS          -- the 8 groups as written ('::' filled in)
    CASE WHEN NOT regexp_full_match(x, '[0-9a-f:]+') THEN NULL
         WHEN NOT contains(x, '::') THEN string_split(x, ':')
         WHEN length(x) - length(replace(x, '::', '')) = 2 AND NOT contains(x, ':::')
         THEN list_transform([[address_v6_side(split_part(x, '::', 1)), address_v6_side(split_part(x, '::', 2))]],
                             lambda s: CASE WHEN len(s[1]) + len(s[2]) <= 7     -- each side bound once
                                            THEN list_concat(s[1], list_transform(range(8 - len(s[1]) - len(s[2])),
                                                                                  lambda z: '0'), s[2]) END)[1] END;
CREATE OR REPLACE TEMP MACRO address_v6_hextets(g) AS         -- the groups as numbers, NULL unless 8 valid ones
    CASE WHEN len(g) = 8 AND list_bool_and(list_transform(g, lambda p: regexp_full_match(p, '[0-9a-f]{1,4}')))
         THEN list_transform(g, lambda p: CAST('0x' || p AS INTEGER)) END;
CREATE OR REPLACE TEMP MACRO address_zero_runs(h) AS          -- per group, the zero groups from it on
    list_transform(range(1, 9), lambda i: length(regexp_extract(
        substr(array_to_string(list_transform(h, lambda p: CASE WHEN p = 0 THEN '0' ELSE '1' END), ''), i), '^0*')));
CREATE OR REPLACE TEMP MACRO address_v6_text(h) AS            -- compressed, lower case; IPv4-mapped as IPv4
    CASE WHEN h IS NULL THEN NULL
         WHEN list_max(h[1:5]) = 0 AND h[6] = 65535
         THEN printf('%d.%d.%d.%d', h[7] // 256, h[7] % 256, h[8] // 256, h[8] % 256)
         ELSE list_transform([address_zero_runs(h)], lambda z:    -- the runs bound once (5 times: 0.07 s to plan)
              CASE WHEN list_max(z) < 2
                   THEN array_to_string(list_transform(h, lambda p: printf('%x', p)), ':')
                   ELSE array_to_string(list_transform(h[1:list_position(z, list_max(z)) - 1],
                                                       lambda p: printf('%x', p)), ':')
                        || '::'
                        || array_to_string(list_transform(h[list_position(z, list_max(z)) + list_max(z):],
                                                          lambda p: printf('%x', p)), ':')
              END)[1]
    END;
CREATE OR REPLACE TEMP MACRO address_norm(a) AS              -- each step bound once (a lambda over a 1-list)
    list_transform([address_unwrapped(a)], lambda u: coalesce(address_v4(u),
        list_transform([address_v4_as_hextets(lower(u))], lambda x:
            list_transform([address_v6_groups(x)], lambda g:
                list_transform([address_v6_hextets(g)], lambda h: address_v6_text(h))[1])[1])[1]))[1];
-- address_v6_net64(a): the /64 network of a normalised IPv6 address, written canonically (`2001:db8:1:1::/64`,
-- `2001:db8::/64`), NULL for an IPv4 address or no address, and for a NAT64/SIIT address (64:ff9b::/96,
-- 64:ff9b:1::/48: each is an IPv4 host, different hosts however near their addresses). One /64 is one LAN or one
-- host's changing (privacy) addresses (queries/windows.sql partials_adding_up: its addresses' pieces may together
-- hold the file).
CREATE OR REPLACE TEMP MACRO address_v6_net64(a) AS
    CASE WHEN contains(a, ':') THEN list_transform([address_v6_hextets(address_v6_groups(lower(a)))], lambda h:
        CASE WHEN h IS NOT NULL AND NOT (h[1] = 100 AND h[2] = 65435 AND (h[3] = 1 OR list_max(h[3:6]) = 0))
             THEN address_v6_text(list_concat(h[1:4], [0, 0, 0, 0])) || '/64' END)[1] END;
-- xff_hops(client, xff): the hops a request came through, from the right: the connecting address first, then the
-- X-Forwarded-For entries right to left (trimmed, empty ones dropped). xff_client(hops, trusted): the client the
-- header names behind trusted proxies (trusted: per hop, is it a proxy to trust): walking from the right, the
-- first hop that is not trusted; where every hop is, the left-most entry. The one rule of --client-ip-from xff
-- (exposure/formats/clientaddr.py resolve_clients, trusted: the --trusted-proxy ranges) and of the client a
-- header would give (queries/windows.sql ranges_across_forwarded, trusted: the proxy and private hops).
CREATE OR REPLACE TEMP MACRO xff_hops(client, xff) AS
    list_concat([client], list_reverse(list_filter(list_transform(string_split(xff, ','), lambda x: trim(x)),
                                                   lambda x: x <> '')));
CREATE OR REPLACE TEMP MACRO xff_client(hops, trusted) AS
    list_transform([list_position(trusted, false)], lambda p: CASE WHEN p > 0 THEN hops[p] ELSE hops[-1] END)[1];
-- address_private(a): a normalised address in a private, shared (carrier-grade NAT), loopback or link-local range
-- (exposure/clients.py network_type: private, shared, loopback, link-local): a proxy inside a network, never a
-- client on the internet.
CREATE OR REPLACE TEMP MACRO address_private(a) AS
    CASE WHEN address_v4(a) IS NOT NULL THEN
              list_transform([list_transform(string_split(a, '.'), lambda o: o::INTEGER)], lambda o:
                  o[1] IN (10, 127) OR (o[1] = 172 AND o[2] BETWEEN 16 AND 31) OR (o[1] = 192 AND o[2] = 168)
                  OR (o[1] = 169 AND o[2] = 254) OR (o[1] = 100 AND o[2] BETWEEN 64 AND 127))[1]
         WHEN contains(a, ':') THEN a = '::1' OR regexp_matches(a, '^(f[cd][0-9a-f]{2}|fe[89ab][0-9a-f]):')
         ELSE false END;
