//! Mermaid beyond the flowchart basics, and d2: each fixture under
//! `tests/fixtures/diagrams/{mermaid,d2}/` with the nodes, edges (label, stroke, head) and
//! groups it must give, through the library and through `vaultscope diagram`.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;
use vaultscope::diagram::{self, Direction, Graph, Syntax};

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/diagrams")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// The block parsed as a note's fenced block tagged `info` would be.
fn block(info: &str, text: &str) -> Option<Graph> {
    let body = format!("```{info}\n{text}```\n");
    diagram::diagrams(&body, 1).into_iter().next()
}

/// Edges as `from -label-> to Style/Head`.
fn edges(g: &Graph) -> Vec<String> {
    g.edges
        .iter()
        .map(|e| {
            let l = e.label.as_deref().unwrap_or("");
            let tail = e.tail.map(|t| format!(" tail {t:?}")).unwrap_or_default();
            format!(
                "{} -{l}-> {} {:?}/{:?}{tail}",
                e.from, e.to, e.style, e.head
            )
        })
        .collect()
}

fn labels(g: &Graph) -> Vec<String> {
    g.nodes
        .iter()
        .map(|n| format!("{}={}", n.id, n.label.replace('\n', " ")))
        .collect()
}

#[test]
fn labelled_edges_with_and_without_spaces() {
    let g = block("mermaid", &fixture("mermaid/labelled-edges.mmd")).expect("a diagram");
    assert_eq!(g.syntax, Syntax::Mermaid);
    assert_eq!(g.direction, Some(Direction::LR));
    assert_eq!(
        labels(&g),
        [
            "주문=주문 접수",
            "결제=결제",
            "배송=배송 준비",
            "고객=고객",
            "review=Review"
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "주문 -결제요청-> 결제 Solid/Arrow",
            "결제 -승인-> 배송 Thick/Arrow",
            "배송 -알림-> 고객 Dotted/Arrow",
            "결제 -실패 시-> 주문 Solid/Arrow",
            "고객 -리뷰 작성-> review Solid/Arrow",
            "review -retry-later-> 고객 Solid/Arrow",
        ]
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn strokes_and_heads_are_kept_one_edge_per_link() {
    let g = block("", &fixture("mermaid/edge-styles.mmd")).expect("an untagged flowchart");
    assert_eq!(
        edges(&g),
        [
            "api --> auth Solid/None",
            "api --> cache Dotted/None",
            "api --> svc Thick/Arrow",
            "svc --> queue Dotted/Arrow",
            "svc --> db Solid/Both",
            "queue --> worker Solid/CircleBoth",
            "worker --> dlq Solid/CrossBoth",
            "worker --> metrics Solid/Circle",
            "worker --> alarm Solid/Cross",
        ]
    );
    assert_eq!(g.nodes.len(), 10);
}

#[test]
fn edges_to_a_subgraph_end_on_it_and_directions_stay() {
    let g = block("mermaid", &fixture("mermaid/subgraph-ends.mmd")).expect("a diagram");
    // `edge` was named before it was declared a subgraph: it is the subgraph, not a node.
    assert_eq!(
        labels(&g),
        ["user=사용자", "cdn=CDN", "waf=WAF", "db=DB", "app=App"]
    );
    assert_eq!(
        edges(&g),
        [
            "user --> edge Solid/Arrow",
            "cdn --> waf Solid/Arrow",
            "edge --> core Solid/Arrow",
            "app --> data Solid/Arrow",
        ]
    );
    for end in ["edge", "core", "data"] {
        assert!(g.end_is_subgraph(end), "{end}");
    }
    assert!(!g.end_is_subgraph("user"));
    let edge = &g.subgraphs[0];
    assert_eq!(
        (edge.id.as_str(), edge.title.as_str(), edge.direction),
        ("edge", "엣지 계층", Some(Direction::LR))
    );
    assert_eq!(edge.nodes, ["cdn", "waf"]);
    let groups: Vec<(String, Vec<String>, Option<usize>)> = g
        .groups()
        .into_iter()
        .map(|gr| (gr.label, gr.members, gr.parent))
        .collect();
    assert_eq!(
        groups,
        [
            ("엣지 계층".into(), vec!["cdn".into(), "waf".into()], None),
            ("핵심 서비스".into(), vec!["app".into()], None),
            ("데이터".into(), vec!["db".into()], Some(1)),
        ]
    );
}

#[test]
fn v11_shape_data_and_edge_ids_and_edge_data_lines() {
    let g = block("mermaid", &fixture("mermaid/v11-shapes.mmd")).expect("a diagram");
    assert_eq!(labels(&g), ["db=주문 DB", "api=API, v2", "cache=Cache"]);
    assert_eq!(
        edges(&g),
        ["api --> db Solid/Arrow", "api --> cache Thick/Arrow"]
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

/// Each note of a state diagram is told as not drawn (one diagnostic on its line), and
/// nothing else is.
fn notes_told(g: &Graph, src: &str) {
    let notes: Vec<usize> = src
        .lines()
        .enumerate()
        .filter(|(_, l)| l.trim_start().starts_with("note "))
        .map(|(i, _)| i + 1)
        .collect();
    assert!(!notes.is_empty());
    let told: Vec<usize> = g.diagnostics.iter().map(|d| d.line).collect();
    assert_eq!(told.len(), notes.len(), "{:?}", g.diagnostics);
    assert!(
        g.diagnostics
            .iter()
            .all(|d| d.message.contains("is not drawn (notes")),
        "{:?}",
        g.diagnostics
    );
}

#[test]
fn state_diagram_states_transitions_dots_and_composites() {
    let g = block("mermaid", &fixture("mermaid/order-states.mmd")).expect("a diagram");
    assert_eq!(g.syntax, Syntax::State);
    assert_eq!(g.direction, Some(Direction::LR));
    assert_eq!(
        labels(&g),
        [
            "waiting=결제 대기",
            "[*]start=●",
            "cancelled=cancelled",
            "paid/[*]start=●",
            "packing=packing",
            "shipped=shipped",
            "paid/[*]end=◉",
            "[*]end=◉",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "[*]start --> waiting Solid/Arrow",
            "waiting -결제 완료-> paid Solid/Arrow",
            "waiting -timeout-> cancelled Solid/Arrow",
            "paid/[*]start --> packing Solid/Arrow",
            "packing -출고-> shipped Solid/Arrow",
            "shipped --> paid/[*]end Solid/Arrow",
            "paid --> [*]end Solid/Arrow",
            "cancelled --> [*]end Solid/Arrow",
        ]
    );
    assert!(g.end_is_subgraph("paid"));
    assert_eq!(g.subgraphs.len(), 1);
    assert_eq!(
        g.subgraphs[0].nodes,
        ["paid/[*]start", "packing", "shipped", "paid/[*]end"]
    );
    notes_told(&g, &fixture("mermaid/order-states.mmd"));
    // The first form of the header, untagged, nested composites and descriptions.
    let g = block(
        "",
        "stateDiagram\nstate 외부 {\n  state 내부 {\n    a --> b\n  }\n}\nb : 완료됨\nx --> 외부\n",
    )
    .expect("an untagged state diagram");
    assert_eq!(labels(&g), ["a=a", "b=완료됨", "x=x"]);
    assert_eq!(g.subgraphs[0].subgraphs, ["내부"]);
    assert_eq!(g.groups()[1].parent, Some(0));
    assert!(g.end_is_subgraph("외부"));
}

/// A group as (id, label, members, parent, direction).
type GroupRow = (
    String,
    String,
    Vec<String>,
    Option<usize>,
    Option<Direction>,
);

fn state_groups(g: &Graph) -> Vec<GroupRow> {
    g.groups()
        .into_iter()
        .zip(&g.subgraphs)
        .map(|(gr, s)| (gr.id, gr.label, gr.members, gr.parent, s.direction))
        .collect()
}

fn strs(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

#[test]
fn state_regions_pseudostates_notes_and_long_names() {
    let g = block("mermaid", &fixture("mermaid/state-regions.mmd")).expect("a diagram");
    assert_eq!(g.syntax, Syntax::State);
    assert_eq!(
        labels(&g),
        [
            "[*]start=●",
            "접수=주문 접수됨",
            "처리/1/[*]start=●",
            "결제대기=결제대기",
            "결제완료=결제완료",
            "처리/1/[*]end=◉",
            "처리/2/[*]start=●",
            "포장=포장",
            "출고=출고",
            "처리/2/[*]end=◉",
            "분기=분기",
            "배송=배송",
            "해외배송=해외배송",
            "fork_state=fork_state",
            "join_state=join_state",
            "알림=알림",
            "정산=정산",
            "[*]end=◉",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "[*]start --> 접수 Solid/Arrow",
            "접수 --> 처리 Solid/Arrow",
            "처리/1/[*]start --> 결제대기 Solid/Arrow",
            "결제대기 -승인-> 결제완료 Solid/Arrow",
            "결제완료 --> 처리/1/[*]end Solid/Arrow",
            "처리/2/[*]start --> 포장 Solid/Arrow",
            "포장 --> 출고 Solid/Arrow",
            "출고 --> 처리/2/[*]end Solid/Arrow",
            "처리 --> 분기 Solid/Arrow",
            "분기 -국내-> 배송 Solid/Arrow",
            "분기 -해외-> 해외배송 Solid/Arrow",
            "배송 --> fork_state Solid/Arrow",
            "fork_state --> 알림 Solid/Arrow",
            "fork_state --> 정산 Solid/Arrow",
            "알림 --> join_state Solid/Arrow",
            "정산 --> join_state Solid/Arrow",
            "join_state --> [*]end Solid/Arrow",
            "해외배송 --> [*]end Solid/Arrow",
        ]
    );
    // The composite keeps the long name given before it opened; each `--` region is a group
    // inside it with its own start and end dots.
    assert_eq!(
        state_groups(&g),
        [
            (
                "처리".into(),
                "주문 처리".into(),
                vec![],
                None,
                Some(Direction::LR)
            ),
            (
                "처리/1".into(),
                "주문 처리 (1)".into(),
                strs(&["처리/1/[*]start", "결제대기", "결제완료", "처리/1/[*]end"]),
                Some(0),
                None
            ),
            (
                "처리/2".into(),
                "주문 처리 (2)".into(),
                strs(&["처리/2/[*]start", "포장", "출고", "처리/2/[*]end"]),
                Some(0),
                None
            ),
        ]
    );
    assert!(g.end_is_subgraph("처리"));
    notes_told(&g, &fixture("mermaid/state-regions.mmd"));

    let g = block("", &fixture("mermaid/player-regions.mmd")).expect("an untagged state diagram");
    assert_eq!(
        labels(&g),
        [
            "[*]start=●",
            "Player/1/[*]start=●",
            "Paused=Paused",
            "Playing=Playing",
            "Player/2/[*]start=●",
            "음소거=음소거",
            "소리켬=소리켬",
            "ScreenOff=화면 꺼짐",
            "Player/3/[*]start=●",
            "ScreenOn=ScreenOn",
            "[*]end=◉",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "[*]start --> Player Solid/Arrow",
            "Player/1/[*]start --> Paused Solid/Arrow",
            "Paused -play-> Playing Solid/Arrow",
            "Playing -pause-> Paused Solid/Arrow",
            "Player/2/[*]start --> 음소거 Solid/Arrow",
            "음소거 -unmute-> 소리켬 Solid/Arrow",
            "소리켬 -mute-> 음소거 Solid/Arrow",
            "Player/3/[*]start --> ScreenOff Solid/Arrow",
            "ScreenOff -tap-> ScreenOn Solid/Arrow",
            "Player -종료-> [*]end Solid/Arrow",
        ]
    );
    // `Player : 미디어 플레이어` after the composite names it (and its regions).
    let titles: Vec<String> = g.subgraphs.iter().map(|s| s.title.clone()).collect();
    assert_eq!(
        titles,
        [
            "미디어 플레이어",
            "미디어 플레이어 (1)",
            "미디어 플레이어 (2)",
            "미디어 플레이어 (3)"
        ]
    );
    assert_eq!(
        g.subgraphs[0].subgraphs,
        ["Player/1", "Player/2", "Player/3"]
    );
    assert_eq!(
        g.subgraphs[3].nodes,
        ["ScreenOff", "Player/3/[*]start", "ScreenOn"]
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn other_mermaid_types_say_they_are_not_drawn_and_keep_their_source() {
    let class = fixture("mermaid/class-diagram.mmd");
    let mut cases = vec![("classDiagram", class.clone())];
    for head in [
        "erDiagram",
        "gantt",
        "pie",
        "journey",
        "gitGraph",
        "mindmap",
        "timeline",
    ] {
        cases.push((head, format!("{head}\n  title 학습 계획\n  a : b\n")));
    }
    for (head, text) in cases {
        let g = block("mermaid", &text).unwrap_or_else(|| panic!("{head}: no graph"));
        assert!(g.nodes.is_empty(), "{head}: {:?}", labels(&g));
        assert!(g.edges.is_empty(), "{head}");
        assert_eq!(g.diagnostics.len(), 1, "{head}");
        assert_eq!(
            g.diagnostics[0].message,
            format!("{head} diagrams are not drawn")
        );
        // After the drawing's one blank cell: the line, then the source indented.
        let lines: Vec<String> = diagram::draw(&g, false, false)
            .canvas
            .lines(false)
            .into_iter()
            .skip_while(|l| l.is_empty())
            .collect();
        assert_eq!(
            lines[0],
            format!("! {head} diagrams are not drawn; its source:")
        );
        assert!(lines[1].contains(head), "{lines:?}");
        assert_eq!(lines.len(), text.lines().count() + 1, "{lines:?}");
    }
    // Untagged, the same text is no diagram (it is prose as far as anyone can tell).
    assert!(block("", "pie\n  title x\n").is_none());
}

#[test]
fn d2_containers_paths_labels_and_arrows() {
    let g = block("d2", &fixture("d2/containers.d2")).expect("a d2 diagram");
    assert_eq!(g.syntax, Syntax::D2);
    assert_eq!(g.direction, Some(Direction::LR));
    assert_eq!(
        labels(&g),
        [
            "vpc.subnet.ec2=웹 서버",
            "vpc.subnet.rds=RDS (MySQL)",
            "user=user",
            "alarm=alarm",
            "cdn=cdn",
            "logs=logs",
            "quoted key=quoted key",
            "a.b=a.b",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "user -HTTPS-> vpc.subnet.ec2 Solid/Arrow",
            "vpc.subnet.ec2 -3306-> vpc.subnet.rds Solid/Arrow",
            "alarm --> user Solid/Arrow",
            "cdn --> user Solid/Both",
            "vpc -흐름 로그-> logs Solid/None",
            "quoted key -x-> a.b Solid/Arrow",
        ]
    );
    assert!(g.end_is_subgraph("vpc"));
    let groups: Vec<(String, String, Vec<String>, Option<usize>)> = g
        .groups()
        .into_iter()
        .map(|gr| (gr.id, gr.label, gr.members, gr.parent))
        .collect();
    assert_eq!(
        groups,
        [
            ("vpc".into(), "가상 네트워크".into(), vec![], None),
            (
                "vpc.subnet".into(),
                "사설 서브넷".into(),
                vec!["vpc.subnet.ec2".into(), "vpc.subnet.rds".into()],
                Some(0)
            ),
        ]
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn d2_chains_and_style_maps_are_not_shapes() {
    let g = block("d2", &fixture("d2/pipeline.d2")).expect("a d2 diagram");
    assert_eq!(labels(&g), ["build=build", "test=test", "deploy=deploy"]);
    assert!(g.subgraphs.is_empty(), "{:?}", g.subgraphs);
    assert_eq!(
        edges(&g),
        [
            "build -단계-> test Solid/Arrow",
            "test -단계-> deploy Solid/Arrow",
            // Its map's `style.stroke-dash: 3`.
            "test -실패 시-> build Dotted/Arrow",
        ]
    );
    // A `d2` fence is never read as another syntax, and code fences are still not diagrams.
    assert!(block("d2", "").is_none());
    assert!(block("rust", "a -> b").is_none());
}

#[test]
fn d2_edge_styles_arrowheads_and_references() {
    let g = block("d2", &fixture("d2/edge-styles.d2")).expect("a d2 diagram");
    assert_eq!(g.direction, Some(Direction::LR));
    assert_eq!(
        labels(&g),
        [
            "웹서버=웹서버",
            "DB=DB",
            "캐시=캐시",
            "배치=배치",
            "api=api",
            "인증=인증",
            "로그=로그",
            "사용자=사용자",
            "메트릭=메트릭",
            "큐=큐",
            "워커=워커",
            "a=a",
            "b=b",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            // `(웹서버 -> DB)[0].style.stroke-dash: 5` later on.
            "웹서버 -쿼리-> DB Dotted/Arrow",
            "웹서버 -조회-> 캐시 Dotted/Arrow",
            // Thick from its map, a circle from `(배치 -> DB)[0]`.
            "배치 -적재-> DB Thick/Circle",
            // `style.animated` changes nothing.
            "api --> 인증 Solid/Arrow",
            "api -기록-> 로그 Solid/Circle",
            // A diamond and an arrow: two heads of different kinds.
            "사용자 -HTTPS-> api Solid/Arrow tail Diamond",
            // An arrowhead on an end with no arrow does nothing (d2's rule).
            "api --> 메트릭 Solid/None",
            // `큐 <- 워커`: the source end is 큐's, a cross.
            "워커 -폴링-> 큐 Solid/Cross",
            "a -라벨 키-> b Solid/None",
        ]
    );
    assert!(g.subgraphs.is_empty(), "{:?}", g.subgraphs);
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn d2_diamond_and_crows_foot_arrowheads() {
    let g = block("d2", &fixture("d2/arrowheads.d2")).expect("a d2 diagram");
    assert_eq!(
        edges(&g),
        [
            "주문 -포함-> 주문항목 Solid/Diamond",
            // `<-`: the edge runs from 주문, its filled diamond at 고객.
            "주문 -소유-> 고객 Solid/FilledDiamond",
            "고객 --> 주소 Solid/Many tail One",
            "상품 --> 재고 Solid/One",
            "결제 --> 주문 Solid/Diamond tail Diamond",
        ]
    );
    // Each mark drawn as itself, at its own end (against its node's box), never as an arrow.
    let lines = diagram::draw(&g, false, false).canvas.lines(false);
    let all = lines.join("\n");
    assert!(!all.contains('▶') && !all.contains('◀'), "{all}");
    for at in [
        "◇│ 주문항목 │",
        "◆│ 고객 │",
        "│ 고객 │‖",
        "{│ 주소 │",
        "│ 상품 ├─",
        "‖│ 재고 │",
        "│ 결제 │◇",
        "◇│ 주문 ├",
    ] {
        assert!(all.contains(at), "no {at:?} in\n{all}");
    }
    // In ASCII, and in Graphviz's names.
    let ascii = diagram::draw(&g, false, false)
        .canvas
        .lines(true)
        .join("\n");
    for at in ["*| 주문항목 |", "#| 고객 |", "| 고객 ||", "{| 주소 |"] {
        assert!(ascii.contains(at), "no {at:?} in\n{ascii}");
    }
}

#[test]
fn d2_sequence_diagrams_are_not_drawn_as_flowcharts_and_tables_are_one_shape() {
    let g = block("d2", &fixture("d2/sequence-inside.d2")).expect("a d2 diagram");
    assert_eq!(
        labels(&g),
        [
            "사용자=사용자",
            "결제 흐름=결제 시나리오",
            "정산=정산",
            "users=users",
            "orders.user_id=user_id",
        ]
    );
    assert_eq!(
        edges(&g),
        [
            "사용자 -시작-> 결제 흐름 Solid/Arrow",
            "결제 흐름 -완료 후-> 정산 Solid/Arrow",
            "orders.user_id -FK-> users Solid/Arrow",
        ]
    );
    let groups: Vec<(String, Vec<String>)> = g
        .groups()
        .into_iter()
        .map(|gr| (gr.id, gr.members))
        .collect();
    assert_eq!(groups, [("orders".into(), vec!["orders.user_id".into()])]);
    let said: Vec<&str> = g.diagnostics.iter().map(|d| d.message.as_str()).collect();
    assert_eq!(
        said,
        ["`결제 흐름` is a d2 sequence diagram, drawn as one shape (its messages are not drawn)"]
    );
    // A block that is a sequence diagram, or holds nothing else, says so and shows its source.
    for text in [
        "shape: sequence_diagram\nalice -> bob: 안녕\nbob -> alice: hi\n",
        "대화: {\n  shape: sequence_diagram\n  alice -> bob: 안녕\n}\n",
    ] {
        let g = block("d2", text).unwrap_or_else(|| panic!("{text:?}: no graph"));
        assert!(g.nodes.is_empty(), "{text:?}: {:?}", labels(&g));
        assert!(g.edges.is_empty(), "{text:?}");
        let lines: Vec<String> = diagram::draw(&g, false, false)
            .canvas
            .lines(false)
            .into_iter()
            .skip_while(|l| l.is_empty())
            .collect();
        assert_eq!(
            lines[0], "! d2 sequence diagrams are not drawn; its source:",
            "{text:?}"
        );
        assert_eq!(lines.len(), text.lines().count() + 1, "{lines:?}");
    }
}

fn vaultscope(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .args(args)
        .current_dir(dir)
        .env_remove("VAULTSCOPE_VAULT")
        .env("NO_COLOR", "1")
        .output()
        .expect("the binary runs")
}

fn note_vault() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = format!(
        "# 아키텍처\n\n```mermaid\n{}```\n\n```d2\n{}```\n\n```mermaid\n{}```\n",
        fixture("mermaid/subgraph-ends.mmd"),
        fixture("d2/containers.d2"),
        fixture("mermaid/class-diagram.mmd"),
    );
    let path = dir.path().join("arch.md");
    std::fs::write(&path, body).unwrap();
    let root = dir.path().to_path_buf();
    (dir, root)
}

#[test]
fn diagram_json_carries_style_head_and_groups() {
    let (_keep, root) = note_vault();
    let o = vaultscope(&root, &["--vault", ".", "diagram", "arch", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let ds = v["diagrams"].as_array().expect("diagrams");
    assert_eq!(ds.len(), 3);
    assert_eq!(ds[0]["syntax"], "mermaid");
    assert_eq!(ds[0]["edges"][0]["style"], "solid");
    assert_eq!(ds[0]["edges"][0]["head"], "arrow");
    assert_eq!(ds[0]["groups"][2]["label"], "데이터");
    assert_eq!(ds[0]["groups"][2]["members"][0], "db");
    assert_eq!(ds[0]["groups"][2]["parent"], 1);
    assert_eq!(ds[0]["subgraphs"][0]["id"], "edge");
    assert_eq!(ds[1]["syntax"], "d2");
    assert_eq!(ds[1]["edges"][3]["head"], "both");
    assert_eq!(ds[1]["edges"][4]["head"], "none");
    assert_eq!(ds[2]["nodes"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        ds[2]["diagnostics"][0]["message"],
        "classDiagram diagrams are not drawn"
    );
}

#[test]
fn diagram_json_says_which_nodes_are_round() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("round.md"),
        "```mermaid\nflowchart LR\n  a(round) --> b@{ shape: stadium } --> c[square]\n```\n",
    )
    .unwrap();
    let o = vaultscope(dir.path(), &["--vault", ".", "diagram", "round", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let nodes = &v["diagrams"][0]["nodes"];
    assert_eq!(nodes[0]["rounded"], true);
    assert_eq!(nodes[1]["rounded"], true);
    assert_eq!(
        nodes[2].get("rounded"),
        None,
        "a square node has no `rounded`"
    );
}

#[test]
fn diagram_dot_writes_rankdir_clusters_styles_and_heads() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = format!(
        "```mermaid\n{}```\n\n```mermaid\n{}```\n",
        fixture("mermaid/edge-styles.mmd"),
        fixture("mermaid/subgraph-ends.mmd"),
    );
    std::fs::write(dir.path().join("flow.md"), body).unwrap();
    let o = vaultscope(dir.path(), &["--vault", ".", "diagram", "flow", "--dot"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let dot = String::from_utf8(o.stdout).expect("utf-8");
    for want in [
        "rankdir=TB;",
        "\"api\" -> \"auth\" [dir=none];",
        "\"api\" -> \"cache\" [style=dotted, dir=none];",
        "\"api\" -> \"svc\" [style=bold];",
        "\"svc\" -> \"db\" [dir=both];",
        "\"queue\" -> \"worker\" [dir=both, arrowhead=odot, arrowtail=odot];",
        "\"worker\" -> \"dlq\" [dir=both, arrowhead=tee, arrowtail=tee];",
        "compound=true;",
        "subgraph cluster_0 {",
        "label=\"엣지 계층\";",
        "    subgraph cluster_2 {",
        "\"edge\" [shape=point, style=invis, label=\"\"];",
        "\"user\" -> \"edge\" [lhead=cluster_0];",
        "\"edge\" -> \"core\" [ltail=cluster_0, lhead=cluster_1];",
    ] {
        assert!(dot.contains(want), "missing {want:?} in\n{dot}");
    }
}

#[test]
fn diamond_and_crows_foot_heads_in_json_and_dot() {
    let dir = tempfile::tempdir().expect("temp dir");
    let body = format!("```d2\n{}```\n", fixture("d2/arrowheads.d2"));
    std::fs::write(dir.path().join("er.md"), body).unwrap();
    let o = vaultscope(dir.path(), &["--vault", ".", "diagram", "er", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).expect("JSON");
    let edges = &v["diagrams"][0]["edges"];
    let ends: Vec<(String, String)> = (0..5)
        .map(|i| {
            let e = &edges[i];
            (
                e["head"].as_str().unwrap_or("?").to_owned(),
                e["tail"].as_str().unwrap_or("-").to_owned(),
            )
        })
        .collect();
    let want = [
        ("diamond", "-"),
        ("filled-diamond", "-"),
        ("many", "one"),
        ("one", "-"),
        ("diamond", "diamond"),
    ];
    assert_eq!(
        ends,
        want.map(|(h, t)| (h.to_owned(), t.to_owned())),
        "{edges}"
    );
    let o = vaultscope(dir.path(), &["--vault", ".", "diagram", "er", "--dot"]);
    let dot = String::from_utf8(o.stdout).expect("utf-8");
    for want in [
        "\"주문\" -> \"주문항목\" [label=\"포함\", arrowhead=odiamond];",
        "\"주문\" -> \"고객\" [label=\"소유\", arrowhead=diamond];",
        "\"고객\" -> \"주소\" [dir=both, arrowhead=crow, arrowtail=teetee];",
        "\"결제\" -> \"주문\" [dir=both, arrowhead=odiamond, arrowtail=odiamond];",
    ] {
        assert!(dot.contains(want), "missing {want:?} in\n{dot}");
    }
}

/// A node belongs to the subgraph whose statements mention it, even when it was first written
/// outside; mentioned in a nested subgraph, to the innermost; in two siblings, to the first to
/// close (Mermaid's own example from its flowchart docs, and the starter vault's Studio note).
#[test]
fn a_node_mentioned_in_a_subgraph_is_its_member_wherever_it_was_first_written() {
    let members = |g: &Graph, id: &str| -> Vec<String> {
        g.subgraphs
            .iter()
            .find(|s| s.id == id)
            .map(|s| s.nodes.clone())
            .unwrap_or_default()
    };
    let g = diagram::mermaid::parse(
        "flowchart TB\n  c1-->a2\n  subgraph one\n  a1-->a2\n  end\n  subgraph two\n  b1-->b2\n  end\n  subgraph three\n  c1-->c2\n  end\n",
    );
    assert_eq!(members(&g, "one"), strs(&["a1", "a2"]));
    assert_eq!(members(&g, "two"), strs(&["b1", "b2"]));
    assert_eq!(members(&g, "three"), strs(&["c1", "c2"]));
    let g = diagram::mermaid::parse(
        "graph TD\n  U[사용자] -->|VPN| SE\n  subgraph VPC[고객 VPC]\n    SE(인터페이스 엔드포인트)\n    APP --> API\n    subgraph 서브넷\n      APP --> DB\n    end\n    DB --> LOG\n  end\n  subgraph 다른\n    LOG --> X\n  end\n  SE --> STUDIO\n",
    );
    assert_eq!(members(&g, "VPC"), strs(&["SE", "API", "LOG"]));
    assert_eq!(members(&g, "서브넷"), strs(&["APP", "DB"]));
    assert_eq!(members(&g, "다른"), strs(&["X"]));
    assert!(
        g.subgraphs
            .iter()
            .all(|s| !s.nodes.contains(&"U".to_owned()))
    );
    // An unclosed subgraph still claims what it mentions.
    let g = diagram::mermaid::parse("graph TD\n  A --> B\n  subgraph S\n  B --> C\n");
    assert_eq!(members(&g, "S"), strs(&["B", "C"]));
}
