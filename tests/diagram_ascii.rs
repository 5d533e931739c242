//! The picture parser on pictures drawn as people draw them (issue 13 §1): one fixture per
//! picture under `tests/fixtures/diagrams/ascii/`, each with the graph it must give (nodes,
//! edges with label, style and head, containers as subgraphs); and blocks that are not
//! diagrams (code, signatures, grammars, shells, logs, trees) under `.../not/`, which must
//! give none.

use std::path::Path;

use vaultscope::diagram::{self, EdgeStyle, Graph, Head};
use vaultscope::vault::body::FencedBlock;

fn fixture(dir: &str, name: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagrams")
        .join(dir)
        .join(name);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// An unlabelled fence holding `text`, as a note would have it.
fn parse(text: &str) -> Option<Graph> {
    diagram::parse_block(&FencedBlock {
        info: String::new(),
        text: text.to_owned(),
        line: 1,
    })
}

use EdgeStyle::{Dotted, Solid, Thick};
use Head::{Arrow, Both, Circle, CircleBoth, Cross};

type E<'a> = (&'a str, &'a str, Option<&'a str>, EdgeStyle, Head);
/// A subgraph: title, member nodes, child titles.
type G<'a> = (&'a str, &'a [&'a str], &'a [&'a str]);

struct Case<'a> {
    file: &'a str,
    nodes: &'a [&'a str],
    edges: &'a [E<'a>],
    groups: &'a [G<'a>],
}

fn check(c: &Case) {
    let g = parse(&fixture("ascii", c.file)).unwrap_or_else(|| panic!("{}: no diagram", c.file));
    let mut nodes: Vec<&str> = g.nodes.iter().map(|n| n.label.as_str()).collect();
    let mut want_nodes = c.nodes.to_vec();
    nodes.sort();
    want_nodes.sort();
    assert_eq!(nodes, want_nodes, "{}: nodes", c.file);
    let mut edges: Vec<(String, String, Option<String>, EdgeStyle, Head)> = g
        .edges
        .iter()
        .map(|e| {
            (
                e.from.clone(),
                e.to.clone(),
                e.label.clone(),
                e.style,
                e.head,
            )
        })
        .collect();
    let mut want: Vec<_> = c
        .edges
        .iter()
        .map(|&(f, t, l, s, h)| (f.to_owned(), t.to_owned(), l.map(str::to_owned), s, h))
        .collect();
    edges.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    want.sort_by(|a, b| format!("{a:?}").cmp(&format!("{b:?}")));
    assert_eq!(edges, want, "{}: edges", c.file);
    let groups: Vec<(String, Vec<String>, Vec<String>)> = g
        .subgraphs
        .iter()
        .map(|s| {
            let titles = s
                .subgraphs
                .iter()
                .map(|id| {
                    g.subgraphs
                        .iter()
                        .find(|t| &t.id == id)
                        .unwrap()
                        .title
                        .clone()
                })
                .collect();
            (s.title.clone(), s.nodes.clone(), titles)
        })
        .collect();
    let want: Vec<(String, Vec<String>, Vec<String>)> = c
        .groups
        .iter()
        .map(|&(t, n, s)| {
            let v = |x: &[&str]| x.iter().map(|s| s.to_string()).collect();
            (t.to_owned(), v(n), v(s))
        })
        .collect();
    assert_eq!(groups, want, "{}: groups", c.file);
}

#[test]
fn routed_connectors_fan_out_fan_in_return_paths_and_side_entries() {
    let cases = [
        Case {
            file: "fan-out-bus.txt",
            nodes: &["Gateway", "주문", "결제", "배송"],
            edges: &[
                ("Gateway", "주문", None, Solid, Arrow),
                ("Gateway", "결제", None, Solid, Arrow),
                ("Gateway", "배송", None, Solid, Arrow),
            ],
            groups: &[],
        },
        Case {
            file: "fan-in-labelled.txt",
            nodes: &["Web", "앱", "Batch", "Collector"],
            edges: &[
                ("Web", "Collector", Some("로그 전송"), Solid, Arrow),
                ("앱", "Collector", Some("로그 전송"), Solid, Arrow),
                ("Batch", "Collector", Some("로그 전송"), Solid, Arrow),
            ],
            groups: &[],
        },
        Case {
            file: "return-path-and-side-entry.txt",
            nodes: &["요청", "검증", "처리", "재시도"],
            edges: &[
                ("요청", "검증", None, Solid, Arrow),
                ("검증", "처리", None, Solid, Arrow),
                ("검증", "재시도", Some("실패 시"), Solid, Arrow),
                ("처리", "재시도", None, Solid, Arrow),
                ("재시도", "요청", None, Solid, Arrow),
            ],
            groups: &[],
        },
        Case {
            file: "ascii-routed.txt",
            nodes: &["web", "api", "cache"],
            edges: &[
                ("web", "api", None, Solid, Arrow),
                ("api", "cache", None, Solid, Arrow),
                ("cache", "web", None, Solid, Arrow),
            ],
            groups: &[],
        },
        Case {
            file: "brackets-routed.txt",
            nodes: &["Client", "Proxy", "Origin"],
            edges: &[
                ("Client", "Proxy", None, Solid, Arrow),
                ("Proxy", "Origin", None, Solid, Arrow),
            ],
            groups: &[],
        },
    ];
    for c in &cases {
        check(c);
    }
}

#[test]
fn heads_and_tees_on_box_borders_and_line_styles() {
    check(&Case {
        file: "stacked-heads-on-borders.txt",
        nodes: &["Client", "API 서버", "DB"],
        edges: &[
            ("Client", "API 서버", Some("HTTPS 요청"), Solid, Arrow),
            ("API 서버", "DB", None, Thick, Arrow),
        ],
        groups: &[],
    });
    check(&Case {
        file: "styles-and-labels.txt",
        nodes: &[
            "캐시",
            "저장소",
            "주",
            "보조",
            "Alpha",
            "Beta",
            "Queue",
            "Worker",
        ],
        edges: &[
            ("캐시", "저장소", None, Dotted, Arrow),
            ("주", "보조", None, Solid, Head::None),
            ("Alpha", "Beta", Some("HTTPS"), Solid, Both),
            ("Queue", "Worker", Some("mTLS"), Thick, Arrow),
        ],
        groups: &[],
    });
}

#[test]
fn labels_written_inside_a_vertical_connector() {
    // The line stops for the label and goes on under it: one edge, the label its text, in
    // display columns (the Hangul of `요청` and `확인` is under the line's column).
    check(&Case {
        file: "label-inside-vertical.txt",
        nodes: &["앱", "DB"],
        edges: &[("앱", "DB", Some("HTTPS 요청"), Solid, Arrow)],
        groups: &[],
    });
    check(&Case {
        file: "label-inside-vertical-ascii.txt",
        nodes: &["web", "db", "복제본"],
        edges: &[
            ("web", "db", Some("HTTPS 요청"), Solid, Arrow),
            ("복제본", "db", Some("replica sync"), Solid, Arrow),
        ],
        groups: &[],
    });
    // Right under a tee on the border, and over two lines.
    check(&Case {
        file: "label-inside-vertical-ports.txt",
        nodes: &["큐", "워커", "Monitor"],
        edges: &[
            ("큐", "워커", Some("작업 전달"), Solid, Arrow),
            ("Monitor", "워커", Some("상태 확인 (5초마다)"), Solid, Arrow),
        ],
        groups: &[],
    });
}

#[test]
fn lines_crossing_straight_through_are_two_edges_and_junctions_still_join() {
    // `┼` / `+` with a line going straight on each way, each whole on its own (a tail and a
    // head): two edges crossing.
    check(&Case {
        file: "crossing.txt",
        nodes: &["주문", "재고", "결제", "배송", "창고", "알림"],
        edges: &[
            ("주문", "배송", None, Solid, Arrow),
            ("결제", "알림", None, Solid, Arrow),
            ("창고", "재고", None, Solid, Arrow),
        ],
        groups: &[],
    });
    check(&Case {
        file: "crossing-ascii.txt",
        nodes: &["client", "metrics", "queue", "server", "agent", "worker"],
        edges: &[
            ("client", "server", None, Solid, Arrow),
            ("queue", "worker", None, Solid, Arrow),
            ("agent", "metrics", None, Solid, Arrow),
        ],
        groups: &[],
    });
    // A junction: split there, the bus would have no tail (or no head): it joins.
    check(&Case {
        file: "junction-fan-in.txt",
        nodes: &["웹", "앱", "배치", "수집기"],
        edges: &[
            ("웹", "수집기", Some("로그"), Solid, Arrow),
            ("앱", "수집기", Some("로그"), Solid, Arrow),
            ("배치", "수집기", Some("로그"), Solid, Arrow),
        ],
        groups: &[],
    });
    check(&Case {
        file: "junction-bus-ascii.txt",
        nodes: &["router", "api", "auth", "log"],
        edges: &[
            ("router", "api", None, Solid, Arrow),
            ("router", "auth", None, Solid, Arrow),
            ("router", "log", None, Solid, Arrow),
        ],
        groups: &[],
    });
}

#[test]
fn o_and_x_ends_touching_a_node_are_circle_and_cross_heads() {
    // Only a letter between a line and a node is a head: `to`, `Video`, `Mongo` keep theirs.
    check(&Case {
        file: "circle-cross-ends.txt",
        nodes: &[
            "주문",
            "고객",
            "Job",
            "취소",
            "팀",
            "회원",
            "Video",
            "Audio",
            "Order",
            "Customer",
            "Task",
            "Dead letter",
            "Cache",
            "Store",
            "Redis",
            "Mongo",
        ],
        edges: &[
            ("주문", "고객", None, Solid, Circle),
            ("Job", "취소", None, Solid, Cross),
            ("회원", "팀", None, Solid, Circle),
            ("Video", "Audio", Some("to"), Solid, Arrow),
            ("Order", "Customer", None, Solid, Circle),
            ("Task", "Dead letter", None, Solid, Cross),
            ("Cache", "Store", None, Solid, CircleBoth),
            ("Redis", "Mongo", None, Solid, Arrow),
        ],
        groups: &[],
    });
    check(&Case {
        file: "circle-cross-ends-vertical.txt",
        nodes: &["부모", "자식", "req", "차단"],
        edges: &[
            ("부모", "자식", None, Solid, Circle),
            ("req", "차단", None, Solid, Cross),
        ],
        groups: &[],
    });
}

#[test]
fn containers_are_nested_groups_and_lines_cross_their_borders() {
    check(&Case {
        file: "vpc-containers.txt",
        nodes: &["ALB", "앱 서버", "RDS"],
        edges: &[
            ("ALB", "앱 서버", None, Solid, Arrow),
            ("앱 서버", "RDS", None, Solid, Arrow),
        ],
        groups: &[
            (
                "VPC 10.0.0.0/16",
                &["RDS"],
                &["Public subnet", "Private subnet"],
            ),
            ("Public subnet", &["ALB"], &[]),
            ("Private subnet", &["앱 서버"], &[]),
        ],
    });
    check(&Case {
        file: "region-azs.txt",
        nodes: &["Primary DB", "Replica"],
        edges: &[("Primary DB", "Replica", None, Solid, Arrow)],
        groups: &[
            ("리전 ap-northeast-2", &[], &["AZ-a", "AZ-b"]),
            ("AZ-a", &["Primary DB"], &[]),
            ("AZ-b", &["Replica"], &[]),
        ],
    });
}

#[test]
fn the_readme_picture_is_a_bus_and_nested_groups() {
    check(&Case {
        file: "readme-bus-and-groups.txt",
        nodes: &["Gateway", "ALB", "App", "주문", "결제", "배송"],
        edges: &[
            ("Gateway", "주문", None, Solid, Arrow),
            ("Gateway", "결제", None, Solid, Arrow),
            ("Gateway", "배송", None, Solid, Arrow),
            ("ALB", "App", None, Solid, Arrow),
        ],
        groups: &[
            ("VPC", &[], &["Public", "Private"]),
            ("Public", &["ALB"], &[]),
            ("Private", &["App"], &[]),
        ],
    });
}

#[test]
fn boxes_as_authors_draw_them() {
    check(&Case {
        file: "author-boxes.txt",
        nodes: &["Load Balancer", "Web 서버", "데이터베이스", "Backup"],
        edges: &[
            ("Load Balancer", "Web 서버", None, Solid, Arrow),
            ("Web 서버", "데이터베이스", None, Solid, Arrow),
            ("데이터베이스", "Backup", None, Solid, Arrow),
        ],
        groups: &[],
    });
    check(&Case {
        file: "author-boxes-short-side.txt",
        nodes: &["인증", "Session"],
        edges: &[("인증", "Session", None, Solid, Arrow)],
        groups: &[],
    });
}

#[test]
fn chains_over_several_lines_and_captions() {
    let g = parse(&fixture("ascii", "chain-multiline.txt")).unwrap();
    let pairs = g.pairs();
    let p = |a: &str, b: &str| (a.to_owned(), b.to_owned());
    assert_eq!(
        pairs,
        vec![
            p("요청", "인증"),
            p("인증", "권한 확인"),
            p("권한 확인", "응답"),
            p("fetch", "parse"),
            p("parse", "render"),
        ]
    );
}

/// A box the author put in a row with no arrow of its own stays in that row, in the author's
/// grid, laid out again, and laid out top to bottom for a narrow pane.
#[test]
fn a_node_without_edges_keeps_the_authors_row() {
    let g = parse(&fixture("ascii", "standalone-in-row.txt")).expect("a picture");
    assert_eq!((g.nodes.len(), g.edges.len()), (8, 6));
    let k = |label: &str| g.nodes.iter().position(|n| n.label == label).unwrap();
    let (alone, mate) = (k("CloudWatch 로그와 KMS"), k("S3와 ECR 접근"));
    let grid = diagram::draw(&g, false, false);
    let again = diagram::draw(&g, true, false);
    let narrow = diagram::draw_fitted(&g, false, 80);
    assert!(narrow.canvas.width <= 80 && narrow.layout.direction == diagram::Direction::TB);
    for (what, d) in [
        ("grid", &grid),
        ("relayout", &again),
        ("80 columns", &narrow),
    ] {
        let (a, m) = (d.layout.nodes[alone], d.layout.nodes[mate]);
        let drawn = d.canvas.lines(false).join("\n");
        assert_eq!(a.y, m.y, "{what}: in S3's row\n{drawn}");
        assert!(a.x > m.x + m.w, "{what}: right of S3, as drawn\n{drawn}");
        // Below everything that leads to S3: the last row.
        assert!(
            d.layout.nodes.iter().all(|b| b.y <= a.y),
            "{what}: the last row\n{drawn}"
        );
    }
}

#[test]
fn code_signatures_grammars_shells_logs_and_trees_are_no_diagrams() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/diagrams/not");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert!(files.len() >= 30, "{} blocks", files.len());
    let found: Vec<String> = files
        .iter()
        .filter(|p| parse(&std::fs::read_to_string(p).unwrap()).is_some())
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    assert_eq!(found, Vec::<String>::new(), "diagrams found in code");
}

#[test]
fn the_starter_vaults_pictures_still_parse() {
    let vault =
        vaultscope::vault::Vault::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("notes"))
            .unwrap();
    let mut found = Vec::new();
    for id in 0..vault.notes.len() {
        for g in diagram::diagrams(&vault.read_body(id).unwrap(), 0) {
            found.push((vault.notes[id].stem.clone(), g.nodes.len(), g.edges.len()));
        }
    }
    found.sort();
    // Every picture of the starter vault, as it read before issue 13.
    assert_eq!(
        found,
        WANT_STARTER
            .iter()
            .map(|&(s, n, e)| (s.to_owned(), n, e))
            .collect::<Vec<_>>()
    );
}

/// The starter vault's diagrams (note, nodes, edges), as main read them before issue 13 (the
/// notes added by issue 18 as they read when added).
const WANT_STARTER: &[(&str, usize, usize)] = &[
    ("amazon-s3", 9, 10),
    ("amazon-vpc", 6, 5),
    ("centralized-vpc-endpoints", 9, 8),
    ("client-vpn", 5, 4),
    ("client-vpn-vs-site-to-site", 8, 7),
    ("cloudwatch-logs-endpoint", 5, 4),
    ("codeartifact-private-packages", 6, 5),
    ("direct-connect", 7, 6),
    ("direct-connect-gateway", 7, 6),
    ("dynamodb-gateway-endpoint", 5, 4),
    ("ecr-private-access", 4, 4),
    ("iam-roles-for-sagemaker", 8, 6),
    ("interface-endpoint", 7, 6),
    ("interface-vs-gateway-endpoints", 7, 6),
    ("internet-gateway", 6, 5),
    ("kms-encryption-sagemaker", 8, 7),
    ("kms-key-policy", 7, 6),
    ("nat-gateway", 6, 5),
    ("network-acl", 6, 5),
    ("private-dns-route53-resolver", 6, 5),
    ("private-subnet", 9, 8),
    ("privatelink", 4, 3),
    ("route-tables", 6, 5),
    ("route53-resolver-endpoints", 4, 3),
    ("s3-bucket-policy-vpce", 6, 5),
    ("s3-gateway-endpoint", 6, 5),
    ("sagemaker-api-endpoint", 6, 5),
    ("sagemaker-inter-container-encryption", 5, 4),
    ("sagemaker-model-endpoint-vpc", 9, 8),
    ("sagemaker-network-isolation", 6, 5),
    ("sagemaker-notebook-instance-networking", 6, 5),
    ("sagemaker-runtime-endpoint", 5, 4),
    ("sagemaker-studio-vpc-only-domain", 10, 8),
    ("sagemaker-training-job-vpc", 9, 8),
    ("sagemaker-vpc-privatelink-security", 12, 14),
    ("security-groups-vs-nacls", 7, 6),
    ("site-to-site-vpn", 7, 6),
    ("sts-endpoint", 4, 3),
    // Four `<-->` links: one two-headed edge each now (they were two edges each).
    ("transit-gateway", 6, 5),
    ("vpc-endpoint-policy", 6, 5),
    ("vpc-flow-logs", 6, 5),
    ("vpc-peering", 5, 4),
];

#[test]
fn a_box_drawn_with_rounded_corners_is_a_rounded_node_and_drawn_so() {
    // `╭──╮ … ╰──╯` is round; `┌`, `╔` and `+` boxes and `[brackets]` are not.
    let g = parse(&fixture("ascii", "author-boxes.txt")).expect("a picture");
    let rounded: Vec<(&str, bool)> = g
        .nodes
        .iter()
        .map(|n| (n.label.as_str(), n.rounded))
        .collect();
    assert_eq!(
        rounded,
        [
            ("Load Balancer", true),
            ("Web 서버", false),
            ("데이터베이스", false),
            ("Backup", false)
        ]
    );
    let g = parse(&fixture("ascii", "brackets-routed.txt")).expect("a picture");
    assert!(g.nodes.iter().all(|n| !n.rounded));
    // Drawn (the author's grid, or laid out again) with its rounded corners.
    let g = parse(&fixture("ascii", "author-boxes.txt")).unwrap();
    for relayout in [false, true] {
        let d = diagram::draw(&g, relayout, false);
        let b = &d.layout.nodes[0];
        let corner = |x, y| d.canvas.glyph(x, y, false).unwrap_or_default();
        let corners = [
            corner(b.x, b.y),
            corner(b.x + b.w - 1, b.y),
            corner(b.x, b.y + b.h - 1),
            corner(b.x + b.w - 1, b.y + b.h - 1),
        ]
        .concat();
        assert_eq!(corners, "╭╮╰╯", "relayout {relayout}");
        let other = &d.layout.nodes[1];
        assert_eq!(corner(other.x, other.y), "┌", "relayout {relayout}");
    }
}
