//! The architecture map's headless views (`vaultscope map --components`, `--focus`, `--path`)
//! on the starter vault and on a fixture vault, and the focus views' layouts.

use std::collections::HashSet;
use std::path::Path;
use std::process::Command;

use serde_json::Value;
use vaultscope::diagram::map::ArchMap;
use vaultscope::vault::{NoteId, Vault};

const STARTER: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/notes");

fn run(vault: &Path, args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_vaultscope"))
        .arg("--vault")
        .arg(vault)
        .args(args)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn json(vault: &Path, args: &[&str]) -> Value {
    let (code, out, err) = run(vault, args);
    assert_eq!(code, 0, "{args:?}: {err}");
    serde_json::from_str(&out).unwrap_or_else(|e| panic!("{args:?}: {e}\n{out}"))
}

fn strs(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect()
}

#[test]
fn the_starter_vault_shares_many_components_across_notes() {
    let v = json(Path::new(STARTER), &["map", "--components", "--json"]);
    let list = v["components"].as_array().unwrap();
    let shared: Vec<&str> = list
        .iter()
        .filter(|c| c["drawing"].as_array().unwrap().len() >= 2)
        .map(|c| c["component"].as_str().unwrap())
        .collect();
    assert!(shared.len() >= 25, "{} shared: {shared:?}", shared.len());
    for name in [
        "SageMaker Notebook",
        "Private Subnet",
        "S3 Gateway Endpoint",
        "S3",
        "KMS",
        "ECR",
        "SageMaker API",
        "Interface Endpoint",
        "NAT Gateway",
        "Transit Gateway",
        "Direct Connect",
        "Client VPN Endpoint",
    ] {
        assert!(shared.contains(&name), "{name} is not shared: {shared:?}");
    }
    let get = |name: &str| list.iter().find(|c| c["component"] == name).unwrap();
    // Labels naming one note merge; S3 and its gateway endpoint stay apart.
    let s3 = get("S3");
    assert!(strs(&s3["labels"]).contains(&"Amazon S3"), "{s3}");
    assert_eq!(strs(&s3["defining"]), ["storage/amazon-s3.md"]);
    assert!(!strs(&s3["labels"]).iter().any(|l| l.contains("Gateway")));
    let ie = get("Interface Endpoint");
    assert!(
        strs(&ie["labels"]).contains(&"Interface Endpoint ENIs"),
        "{ie}"
    );
    // The seed's VPC Endpoint and Interface Endpoint are two components.
    assert_ne!(get("VPC Endpoint")["labels"], ie["labels"]);
    // Ranked by drawing notes.
    let counts: Vec<usize> = list
        .iter()
        .map(|c| c["drawing"].as_array().unwrap().len())
        .collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    assert!(list.iter().all(|c| c["degree"].as_u64().is_some()));
}

#[test]
fn the_focus_on_the_vpc_endpoint_has_neighbours_from_every_note_drawing_it() {
    let v = json(
        Path::new(STARTER),
        &["map", "--focus", "VPC Endpoint", "--json"],
    );
    assert_eq!(v["focus"], "VPC Endpoint");
    assert_eq!(v["depth"], 1);
    let drawing = strs(&v["nodes"][0]["drawing"]);
    assert!(drawing.len() >= 2, "{v}");
    let links = v["links"].as_array().unwrap();
    for note in &drawing {
        assert!(
            links.iter().any(|l| l["notes"]
                .as_array()
                .unwrap()
                .iter()
                .any(|n| n["note"] == *note)),
            "no neighbour from {note}: {v}"
        );
    }
    // Every link touches the centre and names its notes at their diagram's line.
    for l in links {
        assert!(
            l["from"] == "VPC Endpoint" || l["to"] == "VPC Endpoint",
            "{l}"
        );
        for n in l["notes"].as_array().unwrap() {
            assert!(n["line"].as_u64().unwrap() > 0, "{n}");
        }
    }
    let names: Vec<&str> = v["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["component"].as_str().unwrap())
        .collect();
    for n in ["PrivateLink", "Interface Endpoint", "Private Subnet"] {
        assert!(names.contains(&n), "{names:?}");
    }
    // A Korean alias of the note about it finds it too.
    let korean = json(
        Path::new(STARTER),
        &["map", "--focus", "VPC 엔드포인트", "--json"],
    );
    assert_eq!(korean["focus"], "VPC Endpoint");
    // Deeper rings reach further.
    let deep = json(
        Path::new(STARTER),
        &["map", "--focus", "VPC Endpoint", "--depth", "2", "--json"],
    );
    assert!(deep["nodes"].as_array().unwrap().len() > names.len());
    let (code, _, err) = run(Path::new(STARTER), &["map", "--focus", "no such thing"]);
    assert_ne!(code, 0);
    assert!(err.contains("no component is named"), "{err}");
}

#[test]
fn the_notebook_reaches_s3_by_several_flows_each_with_its_notes() {
    let v = json(
        Path::new(STARTER),
        &["map", "--path", "SageMaker Notebook", "S3", "--json"],
    );
    assert_eq!(v["directed"], true);
    let flows = v["flows"].as_array().unwrap();
    assert!(flows.len() >= 2, "{v}");
    let mut seen: HashSet<Vec<&str>> = HashSet::new();
    for f in flows {
        let names = strs(&f["components"]);
        assert_eq!(names.first(), Some(&"SageMaker Notebook"));
        assert_eq!(names.last(), Some(&"S3"));
        let mut inner = names[1..names.len() - 1].to_vec();
        inner.sort();
        assert!(seen.insert(inner), "the same components twice: {names:?}");
        assert!(!strs(&f["notes"]).is_empty());
        // Each link joins the next two components and names the notes drawing it.
        let links = f["links"].as_array().unwrap();
        assert_eq!(links.len(), names.len() - 1);
        for (l, pair) in links.iter().zip(names.windows(2)) {
            assert_eq!(
                (l["from"].as_str(), l["to"].as_str()),
                (Some(pair[0]), Some(pair[1]))
            );
            assert!(!l["notes"].as_array().unwrap().is_empty());
        }
    }
    // Shortest first.
    let lens: Vec<usize> = flows
        .iter()
        .map(|f| f["components"].as_array().unwrap().len())
        .collect();
    assert!(lens.windows(2).all(|w| w[0] <= w[1]), "{lens:?}");
    // One flow goes through the S3 gateway endpoint, another does not.
    assert!(
        flows
            .iter()
            .any(|f| strs(&f["components"]).contains(&"S3 Gateway Endpoint"))
    );
    assert!(
        flows
            .iter()
            .any(|f| !strs(&f["components"]).contains(&"S3 Gateway Endpoint"))
    );
    // Drawn as text and as dot.
    let (_, text, _) = run(
        Path::new(STARTER),
        &["map", "--path", "SageMaker Notebook", "S3"],
    );
    assert!(text.starts_with("1. SageMaker Notebook → "), "{text}");
    let (_, dot, _) = run(
        Path::new(STARTER),
        &["map", "--path", "SageMaker Notebook", "S3", "--dot"],
    );
    assert!(
        dot.starts_with("digraph flows {") && dot.contains("\"S3\""),
        "{dot}"
    );
}

/// A fixture vault: two notes about components (by alias), three drawing them.
fn fixture() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| std::fs::write(dir.path().join(name), body).unwrap();
    write(
        "endpoint.md",
        "---\naliases: [VPC Endpoint, VPC 엔드포인트]\n---\n# About endpoints\n",
    );
    write("s3.md", "---\naliases: [S3, Amazon S3]\n---\n# S3\n");
    write(
        "a.md",
        "---\ntags: [net]\n---\n```\nNotebook -> VPC 엔드포인트 -> Amazon S3\n```\n",
    );
    write(
        "b.md",
        "---\ntags: [net]\n---\n```mermaid\ngraph LR\nn[Notebooks] --> e[vpc-endpoint]\ne --> g[S3 Gateway Endpoint]\ng --> s[S3]\n```\n",
    );
    write(
        "c.md",
        "```\n[Notebook] → [NAT Gateway] → [Internet] → [S3]\n```\n",
    );
    dir
}

#[test]
fn focus_depth_and_paths_on_a_fixture_vault() {
    let dir = fixture();
    let v = json(dir.path(), &["map", "--components", "--json"]);
    let list = v["components"].as_array().unwrap();
    let names: Vec<&str> = list
        .iter()
        .map(|c| c["component"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), 6, "{names:?}");
    let vpce = list
        .iter()
        .find(|c| strs(&c["labels"]).contains(&"vpc-endpoint"))
        .unwrap();
    assert_eq!(strs(&vpce["labels"]), ["VPC 엔드포인트", "vpc-endpoint"]);
    assert_eq!(strs(&vpce["defining"]), ["endpoint.md"]);
    assert_eq!(strs(&vpce["drawing"]), ["a.md", "b.md"]);
    assert_eq!(vpce["degree"], 3);
    let notebook = list.iter().find(|c| c["component"] == "Notebook").unwrap();
    assert_eq!(strs(&notebook["drawing"]), ["a.md", "b.md", "c.md"]);
    // Depth 1: the endpoint's three neighbours; depth 2 adds the gateway endpoint's S3 side
    // and nothing past it.
    let ring = |depth: &str| -> Vec<(String, u64)> {
        let v = json(
            dir.path(),
            &["map", "--focus", "VPC Endpoint", "--depth", depth, "--json"],
        );
        v["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| {
                (
                    n["component"].as_str().unwrap().to_owned(),
                    n["distance"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let one = ring("1");
    assert_eq!(one.len(), 4, "{one:?}");
    assert!(one.iter().all(|(_, d)| *d <= 1));
    let two = ring("2");
    assert!(
        two.contains(&("NAT Gateway".to_owned(), 2)) || two.contains(&("Internet".to_owned(), 2)),
        "{two:?}"
    );
    let (code, _, _) = run(dir.path(), &["map", "--focus", "S3", "--depth", "4"]);
    assert_ne!(code, 0, "depth is 1 to 3");
    // Three flows from the notebook to S3, the shortest first; the tag filter narrows them.
    let p = json(dir.path(), &["map", "--path", "Notebook", "S3", "--json"]);
    let flows: Vec<Vec<&str>> = p["flows"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| strs(&f["components"]))
        .collect();
    assert_eq!(
        flows,
        [
            vec!["Notebook", "VPC 엔드포인트", "S3"],
            // Of two as long, the one more notes draw first.
            vec!["Notebook", "VPC 엔드포인트", "S3 Gateway Endpoint", "S3"],
            vec!["Notebook", "NAT Gateway", "Internet", "S3"],
        ]
    );
    // a.md draws both its links, b.md one.
    assert_eq!(strs(&p["flows"][0]["notes"]), ["a.md", "b.md"]);
    let tagged = json(
        dir.path(),
        &["map", "--tag", "net", "--path", "Notebook", "S3", "--json"],
    );
    assert_eq!(tagged["flows"].as_array().unwrap().len(), 2);
    // Against the arrows only: said so.
    let back = json(dir.path(), &["map", "--path", "S3", "Notebook", "--json"]);
    assert_eq!(back["directed"], false);
    // dot of the focus: quoted labels, counts on the edges.
    let (_, dot, _) = run(dir.path(), &["map", "--focus", "VPC Endpoint", "--dot"]);
    assert!(dot.starts_with("digraph focus {"), "{dot}");
    assert!(dot.contains("label=\"×2\""), "{dot}");
}

#[test]
fn no_focus_of_a_starter_component_with_few_neighbours_crosses_itself() {
    let vault = Vault::load(Path::new(STARTER)).unwrap();
    let all: Vec<NoteId> = (0..vault.notes.len()).collect();
    let (map, _) = ArchMap::build(&vault, &all);
    let mut checked = 0;
    for c in 0..map.components.len() {
        if map.degree(c) > 12 || map.degree(c) == 0 {
            continue;
        }
        let whole = map.focus_graph(&map.focus(c, 1));
        // As the pane may draw it: boxes or [labels], across or top down, the labels whole
        // or cut to fit an 80- or 120-column screen's pane.
        for cols in [usize::MAX, 72, 46] {
            let mut g = whole.clone();
            vaultscope::diagram::map::fit_labels(&mut g, &[], cols, true);
            for compact in [false, true] {
                for top_down in [false, true] {
                    let d = vaultscope::diagram::draw_as(&g, false, compact, top_down);
                    assert_eq!(
                        d.layout.crossings, 0,
                        "{} ({cols} columns, compact {compact}, top down {top_down}): {} crossings",
                        map.components[c].name, d.layout.crossings
                    );
                }
            }
        }
        checked += 1;
    }
    assert!(checked > 50, "{checked}");
}

/// The explorer's screen after `keys`, on the starter vault.
fn screen(w: u16, h: u16, keys: &str) -> String {
    use vaultscope::tui::keymap::parse_keys;
    let vault = Vault::load(Path::new(STARTER)).unwrap();
    vaultscope::tui::snapshot_at(vault, w, h, &parse_keys(keys).unwrap(), NOW).unwrap()
}

/// 2026-11-30 00:00 UTC, as the other screen tests.
const NOW: i64 = 1_795_996_800;

/// Every line no wider than the screen.
fn fits(text: &str, w: usize) {
    for line in text.lines() {
        assert!(vaultscope::text::width(line) <= w, "{line:?}");
    }
}

#[test]
fn the_map_screens_read_well() {
    for (w, h) in [(80u16, 24u16), (120, 40)] {
        // The components, ranked; filtered by typing.
        let list = screen(w, h, "M");
        assert!(
            list.contains("3 Map · 134/134 components from 42 notes"),
            "{list}"
        );
        assert!(
            list.contains("Interface Endpoint") && list.contains("▼"),
            "{list}"
        );
        insta::assert_snapshot!(format!("map_components_{w}x{h}"), list);
        let filtered = screen(w, h, "Mfprivate<Enter>");
        assert!(filtered.contains("3 Map · 12/134 components"), "{filtered}");
        assert!(!filtered.contains("NAT Gateway"), "{filtered}");
        // The focus on PrivateLink: its neighbours, each edge with how many notes draw it.
        let focus = screen(w, h, "Mfprivatelink<Enter><Enter>");
        assert!(focus.contains("focus PrivateLink"), "{focus}");
        assert!(
            focus.contains("×2") && focus.contains("[VPC Endpoint]"),
            "{focus}"
        );
        insta::assert_snapshot!(format!("map_focus_{w}x{h}"), focus);
        // The flows from the notebook to S3.
        // (Esc in the filter line clears it; S3 ranks under S3 Gateway Endpoint.)
        let path = screen(w, h, "MfSageMaker Notebook<Enter>pf<Esc>fS3<Enter>jp");
        assert!(path.contains("flows SageMaker Notebook → S3"), "{path}");
        assert!(path.contains("1. SageMaker Notebook → "), "{path}");
        insta::assert_snapshot!(format!("map_path_{w}x{h}"), path);
        // Each flow a row of its own, from the notebook.
        let rows = path
            .lines()
            .filter(|l| l.contains("[SageMaker Notebook]─×"))
            .count();
        assert!(rows >= 7, "{path}");
        // What does not fit is said, on the border; the focus fits the 80-column pane.
        assert!(path.contains("╴more »"), "{path}");
        if w == 80 {
            assert!(!focus.contains("╴more"), "{focus}");
            assert!(focus.contains("[SageMaker API]"), "{focus}");
        }
        for s in [&list, &filtered, &focus, &path] {
            fits(s, w as usize);
        }
    }
}

#[test]
fn from_the_seed_the_map_finds_privatelink_walks_and_opens_the_note_drawing_an_edge() {
    // From the seed note: M, filter "PrivateLink", focus it, walk to a neighbour, choose the
    // edge between them and open the note that draws it (at its diagram).
    let keys = "/vpcsm<Enter>Mfprivatelink<Enter><Enter>";
    let focus = screen(120, 40, keys);
    assert!(
        focus.contains("· PrivateLink ─"),
        "the cursor starts on the centre:\n{focus}"
    );
    let walked = screen(120, 40, &format!("{keys}l"));
    let title = walked.lines().next().unwrap();
    let neighbour = title
        .rsplit(" · ")
        .next()
        .unwrap()
        .trim_end_matches(['─', '┐', ' ']);
    assert_ne!(neighbour, "PrivateLink", "{walked}");
    let edge = screen(120, 40, &format!("{keys}l]"));
    assert!(
        edge.contains(&format!("PrivateLink → {neighbour} · ×1: sagemaker-vpc")),
        "{edge}"
    );
    // The map gives way to the note's diagram (the seed's), which says which note opened,
    // with the edge chosen and its first end under the cursor; Esc goes back to the map.
    let opened = screen(120, 40, &format!("{keys}l]<Enter>"));
    assert!(
        opened.contains("3 Diagram 1/1 · Esc map · PrivateLink"),
        "{opened}"
    );
    assert!(
        opened.contains(&format!(
            "the edge chosen on the map: PrivateLink → {neighbour}"
        )),
        "{opened}"
    );
    let status = opened.lines().last().unwrap();
    assert!(
        status.starts_with(&format!(
            "opened sagemaker-vpc-privatelink-security · Esc back to the map · PrivateLink → {neighbour}"
        )),
        "{status}"
    );
    let returned = screen(120, 40, &format!("{keys}l]<Enter><Esc>"));
    let title = returned.lines().next().unwrap();
    assert!(
        title.contains("focus PrivateLink") && title.contains(&format!("· {neighbour} ")),
        "back at the focus, on the neighbour:\n{returned}"
    );
    assert!(
        returned.contains(&format!("PrivateLink → {neighbour} · ×1: sagemaker-vpc")),
        "with the edge still chosen:\n{returned}"
    );
    // The map's keys in the status bar there, not the diagram pane's.
    let keys_line = returned.lines().last().unwrap();
    assert!(keys_line.contains("Enter focus/open"), "{keys_line}");
    assert!(!keys_line.contains("next diagram"), "{keys_line}");
    // Esc again: the components list, on the neighbour (a back stack).
    let list = screen(120, 40, &format!("{keys}l]<Enter><Esc><Esc>"));
    assert!(list.contains("3 Map · 134/134 components"), "{list}");
    // With no note opened from the map, Esc in a note's diagram does nothing.
    let plain = screen(120, 40, "/vpcsm<Enter>3<Esc>");
    assert!(plain.contains("3 Diagram 1/1"), "{plain}");
    assert!(!plain.contains("Esc map"), "{plain}");
    let content = screen(120, 40, &format!("{keys}l]<Enter>2"));
    assert!(
        content.contains(" 2 sagemaker-vpc-privatelink-security.md "),
        "{content}"
    );
    let back = screen(120, 40, &format!("{keys}l]<Enter>M"));
    assert!(back.contains("focus PrivateLink"), "{back}");
    // Enter on a node offers the notes about it: PrivateLink is the privatelink note.
    let about = screen(120, 40, &format!("{keys}<Enter>2"));
    assert!(
        about.contains(" 2 networking/endpoints/privatelink.md "),
        "{about}"
    );
    // + and - change the depth, within 1 to 3.
    let deeper = screen(120, 40, &format!("{keys}+"));
    assert!(deeper.contains("depth 2"), "{deeper}");
    assert!(screen(120, 40, &format!("{keys}+++")).contains("depth 3"));
    assert!(screen(120, 40, &format!("{keys}+-")).contains("depth 1"));
    // Esc goes back to the list, on the component.
    let list = screen(120, 40, &format!("{keys}<Esc>"));
    assert!(list.contains("3 Map · 1/134 components"), "{list}");
    // The whole map, by clusters.
    let whole = screen(120, 40, "Mw");
    assert!(whole.contains("by cluster"), "{whole}");
}

#[test]
fn the_whole_map_frames_the_groups_the_notes_draw_components_in() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, body: &str| std::fs::write(dir.path().join(name), body).unwrap();
    // Two notes draw the notebook and the endpoint inside the customer VPC (one nested in a
    // subnet inside it); one draws the notebook with no frame; S3 is always outside.
    write(
        "a.md",
        "```mermaid\ngraph LR\nsubgraph V[Customer VPC]\nn[Notebook] --> e[VPC Endpoint]\nend\ne --> s[S3]\n```\n",
    );
    write(
        "b.md",
        "```mermaid\ngraph LR\nsubgraph V[Customer VPC]\nsubgraph P[Private Subnet]\nn[Notebook]\nend\ne[VPC Endpoint]\nend\nn --> e\n```\n",
    );
    write("c.md", "```\n[Notebook] → [S3]\n```\n");
    // Another cluster, with no group.
    write("d.md", "```\n[Laptop] → [Client VPN]\n```\n");
    let vault = Vault::load(dir.path()).unwrap();
    let all: Vec<NoteId> = (0..vault.notes.len()).collect();
    let (map, _) = ArchMap::build(&vault, &all);
    let group = |name: &str| {
        let c = map.components.iter().position(|c| c.name == name).unwrap();
        map.components[c].group.clone()
    };
    // The outermost group, by most notes: the notebook is in the VPC in two notes of three.
    assert_eq!(group("Notebook").as_deref(), Some("Customer VPC"));
    assert_eq!(group("VPC Endpoint").as_deref(), Some("Customer VPC"));
    assert_eq!(group("S3"), None);
    assert_eq!(group("Laptop"), None);
    let c = map.clustered();
    assert_eq!(c.graph.subgraphs.len(), 1, "{:?}", c.graph.subgraphs);
    let d = vaultscope::diagram::map::draw_packed(&c.graph, &c.ranges, false, 120);
    let frame = d.layout.groups[0].expect("the VPC is framed");
    let inside = |name: &str| {
        let i = c.graph.nodes.iter().position(|n| n.label == name).unwrap();
        let b = d.layout.nodes[i];
        frame.0 < b.x && b.x + b.w <= frame.2 && frame.1 < b.y && b.y + b.h <= frame.3
    };
    assert!(
        inside("Notebook") && inside("VPC Endpoint"),
        "{:?}",
        d.layout
    );
    assert!(!inside("S3") && !inside("Laptop"), "{:?}", d.layout);
    let text = d.canvas.lines(false).join("\n");
    assert!(text.contains("Customer VPC"), "{text}");
    // Headless, the same drawing, and the group in the JSON.
    let (code, out, _) = run(dir.path(), &["map", "--width", "120"]);
    assert_eq!(code, 0);
    assert!(
        out.contains("Customer VPC") && out.contains("Laptop"),
        "{out}"
    );
    let v = json(dir.path(), &["map", "--components", "--json"]);
    let notebook = v["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["component"] == "Notebook")
        .unwrap();
    assert_eq!(notebook["group"], "Customer VPC");
}

#[test]
fn the_map_at_any_size_never_panics_and_fits() {
    use vaultscope::tui::keymap::parse_keys;
    let vault = Vault::load(Path::new(STARTER)).unwrap();
    for (w, h) in [(1u16, 1u16), (5, 3), (20, 6), (60, 5)] {
        for keys in ["M", "M<Enter>+++", "Mw", "M<Enter>]<Enter>"] {
            let text =
                vaultscope::tui::snapshot_at(vault.clone(), w, h, &parse_keys(keys).unwrap(), NOW)
                    .unwrap();
            assert_eq!(text.lines().count(), h as usize, "{w}x{h} {keys:?}");
            fits(&text, w as usize);
        }
    }
}
