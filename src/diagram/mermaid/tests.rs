//! The flowchart parser's table tests.

use super::*;

fn edges(g: &Graph) -> Vec<String> {
    g.edges
        .iter()
        .map(|e| match &e.label {
            Some(l) => format!("{}-{l}->{}", e.from, e.to),
            None => format!("{}->{}", e.from, e.to),
        })
        .collect()
}

fn labels(g: &Graph) -> Vec<String> {
    g.nodes
        .iter()
        .map(|n| format!("{}={}", n.id, n.label))
        .collect()
}

#[test]
fn headers_and_directions() {
    for (head, dir) in [
        ("graph TD", Direction::TB),
        ("graph TB", Direction::TB),
        ("graph BT", Direction::BT),
        ("flowchart LR", Direction::LR),
        ("flowchart RL", Direction::RL),
        ("graph", Direction::TB),
        ("graph LR;", Direction::LR),
    ] {
        let g = parse(&format!("{head}\nA-->B"));
        assert_eq!(g.direction, Some(dir), "{head}");
        assert_eq!(edges(&g), ["A->B"], "{head}");
    }
    assert!(is_mermaid("%% c\n\nflowchart LR\nA-->B"));
    assert!(!is_mermaid("A --> B"));
    assert!(!is_mermaid("graphs are fun"));
}

#[test]
fn shapes_and_labels() {
    let g = parse(
        "graph TD\nA[Rect] --> B(Round)\nC([Stadium]) --> D[[Sub]]\nE[(DB)] --> F((Circle))\n\
         G{Decision} --> H{{Hex}}\nI[/Para/] --> J>Flag]\nK[\"Quoted [brackets] (x)\"] --> L(((Double)))\n\
         M[Line<br>break] --> N[\"#quot;hi#quot; #35;1\"]",
    );
    assert_eq!(
        labels(&g),
        [
            "A=Rect",
            "B=Round",
            "C=Stadium",
            "D=Sub",
            "E=DB",
            "F=Circle",
            "G=Decision",
            "H=Hex",
            "I=Para",
            "J=Flag",
            "K=Quoted [brackets] (x)",
            "L=Double",
            "M=Line\nbreak",
            "N=\"hi\" #1"
        ]
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn links_and_their_text() {
    let g = parse(
        "graph LR\nA --> B\nB --- C\nC -.-> D\nD ==> E\nE --o F\nF --x G\nG <--> H\nH ~~~ I\n\
         I ---> J\nJ -->|yes| K\nK -- no --> L\nL -. maybe .-> M\nM == big ==> N\nN ---|plain| O",
    );
    assert_eq!(
        edges(&g),
        [
            "A->B",
            "B->C",
            "C->D",
            "D->E",
            "E->F",
            "F->G",
            "G->H",
            "I->J",
            "J-yes->K",
            "K-no->L",
            "L-maybe->M",
            "M-big->N",
            "N-plain->O"
        ]
    );
    assert!(g.node("I").is_some(), "an invisible link keeps its nodes");
}

#[test]
fn chains_groups_and_separators() {
    let g = parse("graph TD\nA --> B & C --> D; E --> F");
    assert_eq!(edges(&g), ["A->B", "A->C", "B->D", "C->D", "E->F"]);
    let g = parse("graph TD\nA & B --> C & D");
    assert_eq!(edges(&g), ["A->C", "A->D", "B->C", "B->D"]);
}

#[test]
fn subgraphs_comments_and_ignored_lines() {
    let g = parse(
        "flowchart TB\n%% a comment\nsubgraph one [First group]\n  direction LR\n  a1 --> a2\n\
         subgraph inner\n  x --> y\n end\nend\nsubgraph Two words here\n b1\nend\n\
         style a1 fill:#f9f\nclassDef c fill:#f00\nclass a1 c\nlinkStyle 0 stroke:#f00\n\
         a2 --> b1 %% trailing comment\none --> b1",
    );
    assert_eq!(g.subgraphs.len(), 3);
    assert_eq!(g.subgraphs[0].title, "First group");
    assert_eq!(g.subgraphs[0].direction, Some(Direction::LR));
    assert_eq!(g.subgraphs[0].nodes, ["a1", "a2"]);
    assert_eq!(g.subgraphs[0].subgraphs, ["inner"]);
    assert_eq!(g.subgraphs[1].nodes, ["x", "y"]);
    assert_eq!(g.subgraphs[2].title, "Two words here");
    assert!(edges(&g).contains(&"a2->b1".to_owned()));
    // An edge to a subgraph never invents a node: it ends on the subgraph itself.
    assert!(g.node("one").is_none());
    assert!(g.end_is_subgraph("one"));
    assert!(edges(&g).contains(&"one->b1".to_owned()), "{:?}", edges(&g));
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn heads_at_both_ends_edge_ids_and_quoted_link_text() {
    let g = parse(
        "graph LR\nA o--o B\nC x--x D\nE e1@--> F\nG -->|\"a|b\"| H\nK -- \"quoted -- text\" --> L\nM -->|a;b| N",
    );
    assert_eq!(
        edges(&g),
        [
            "A->B",
            "C->D",
            "E->F",
            "G-a|b->H",
            "K-quoted -- text->L",
            "M-a;b->N"
        ]
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn korean_ids_and_recovery_per_statement() {
    let g = parse("graph LR\n결제 --> 완료\nA[unclosed --> B\nC --> end\nD --> E");
    assert_eq!(edges(&g), ["결제->완료", "D->E"]);
    assert_eq!(g.diagnostics.len(), 2, "{:?}", g.diagnostics);
    assert_eq!(g.diagnostics[0].line, 2);
    let ids = parse("graph TD\ndb-primary --> api_server\napi_server --> db-xray");
    assert_eq!(
        edges(&ids),
        ["db-primary->api_server", "api_server->db-xray"]
    );
    // The last label given wins.
    let relabel = parse("graph TD\nA[Start] --> B\nA[Renamed]");
    assert_eq!(labels(&relabel)[0], "A=Renamed");
}

#[test]
fn repeated_subgraph_ids_never_nest_in_themselves() {
    let g = parse("graph TD\nsubgraph a\n  subgraph a\n    x --> y\n  end\nend\nx --> a");
    let ids: Vec<&str> = g.subgraphs.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, ["a", "a~2"]);
    assert_eq!(g.subgraphs[0].subgraphs, ["a~2"]);
    assert_eq!(g.groups()[1].parent, Some(0));
    assert_eq!(g.diagnostics.len(), 1, "{:?}", g.diagnostics);
    assert!(edges(&g).contains(&"x->a".to_owned()));
}

#[test]
fn an_unclosed_shape_data_block_does_not_swallow_the_diagram() {
    let mut text = "graph TD\nA@{ shape: rect\n".to_owned();
    for i in 0..20 {
        text.push_str(&format!("n{i} --> m{i}\n"));
    }
    let g = parse(&text);
    assert!(
        edges(&g).contains(&"n19->m19".to_owned()),
        "{:?}",
        edges(&g)
    );
    // Closed over three lines, it is one node with its label.
    let g = parse("graph TD\nA@{\n  shape: rect\n  label: \"여러 줄\"\n}\nA --> B");
    assert_eq!(labels(&g), ["A=여러 줄", "B=B"]);
}

#[test]
fn round_shapes_are_kept_as_rounded_nodes() {
    // (source, rounded)
    let table: &[(&str, bool)] = &[
        ("A[Rect]", false),
        ("A(Round)", true),
        ("A([Stadium])", true),
        ("A((Circle))", true),
        ("A(((Double)))", true),
        ("A[[Sub]]", false),
        ("A[(DB)]", false),
        ("A{Decision}", false),
        ("A{{Hex}}", false),
        ("A>Flag]", false),
        ("A[/Para/]", false),
        ("A", false),
        ("A@{ shape: rounded, label: \"R\" }", true),
        ("A@{ shape: stadium }", true),
        ("A@{ shape: pill }", true),
        ("A@{ shape: circle }", true),
        ("A@{ shape: sm-circ }", true),
        ("A@{ shape: dbl-circ }", true),
        ("A@{ shape: event }", true),
        ("A@{ shape: rect }", false),
        ("A@{ shape: cyl }", false),
        ("A@{ label: \"no shape\" }", false),
    ];
    for (node, rounded) in table {
        let g = parse(&format!("graph TD\n{node} --> B"));
        assert_eq!(g.nodes[0].rounded, *rounded, "{node}");
        assert!(!g.nodes[1].rounded, "{node}: B has no shape");
    }
    // The last shape written wins; a bare mention keeps the shape it had.
    let g = parse("graph TD\nA(Round) --> B\nA --> C\nB([x])\nB[y]");
    assert!(g.nodes[0].rounded);
    assert!(!g.nodes[1].rounded);
}
