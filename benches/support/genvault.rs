//! Deterministic generator of synthetic Obsidian-style study vaults, for benchmarks.
//!
//! Included (not linked) by the benches and by `examples/gen_vault.rs` with
//! `#[path = "support/genvault.rs"] mod genvault;`, so it is std-only and uses no `crate::` paths.
//!
//! Every note is a pure function of `(seed, index)` for its front matter (path, title, aliases,
//! tags, dates) and of `(seed, index, notes)` for its body (the body links to other notes of the
//! same vault). Each note draws from its own splitmix64 streams, so `titles_and_aliases` can
//! reproduce the front matter without generating any body, and `write_vault` can stream notes to
//! disk one at a time.
//!
//! Shape of a vault (tuned on 10,000 notes): median note ≈3 KB, mean ≈3.9 KB, ~1% above 30 KB,
//! the largest ≈200 KB; `area-NN/topic-NN/[sub/]stem.md` folders; unique titles mixing Korean
//! and English; 1–6 tags from a ~300-tag hierarchical vocabulary; 0–4 aliases (unique but for
//! one note in 250 sharing its neighbour's); wikilinks as Obsidian resolves them, by file name,
//! path or folder/name (plain, `|alias`, `#heading`, ~3% unresolved); ~1/3 of notes with a bracket-and-arrow diagram
//! in an unlabelled fence; ~40% with a multiple-choice question in the seed note's format;
//! ~5% with a small Mermaid flowchart.

#![allow(dead_code)]

use std::collections::HashSet;
use std::fmt::Write as _;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// One generated note: its path relative to the vault root and its full text (LF, UTF-8).
pub struct GenNote {
    pub rel_path: PathBuf,
    pub content: String,
}

/// Generates `notes` notes, deterministically for `(notes, seed)`.
pub fn generate(notes: usize, seed: u64) -> Vec<GenNote> {
    let metas: Vec<Meta> = (0..notes).map(|i| Meta::new(seed, i)).collect();
    let vocab = tag_vocab();
    (0..notes)
        .map(|i| GenNote {
            rel_path: metas[i].rel_path(),
            content: render_note(&metas, &vocab, seed, i),
        })
        .collect()
}

/// Writes the vault of `generate(notes, seed)` under `dir` (creating folders), one note at a time
/// so memory stays flat. Returns the total number of bytes written.
pub fn write_vault(dir: &Path, notes: usize, seed: u64) -> std::io::Result<u64> {
    fs::create_dir_all(dir)?;
    let metas: Vec<Meta> = (0..notes).map(|i| Meta::new(seed, i)).collect();
    let vocab = tag_vocab();
    let mut made: HashSet<PathBuf> = HashSet::new();
    let mut total = 0u64;
    for i in 0..notes {
        let folder = dir.join(&metas[i].dir);
        if !made.contains(&folder) {
            fs::create_dir_all(&folder)?;
            made.insert(folder.clone());
        }
        let content = render_note(&metas, &vocab, seed, i);
        let mut f = fs::File::create(folder.join(format!("{}.md", metas[i].stem)))?;
        f.write_all(content.as_bytes())?;
        total += content.len() as u64;
    }
    Ok(total)
}

/// Bumped whenever the same `(notes, seed)` would write different files, so a vault kept from an
/// older generator is made again ([`kept_vault`]).
pub const GENERATOR_VERSION: u32 = 2;

/// The vault of `notes` notes (seed 42) kept under `dir/<notes>`, written when missing or made
/// by another [`GENERATOR_VERSION`] (into a `.partial` folder renamed when complete, so an
/// interrupted run never leaves half a vault that looks whole). Returns it and whether it was
/// written now.
pub fn kept_vault(dir: &Path, notes: usize) -> std::io::Result<(PathBuf, bool)> {
    let vault = dir.join(notes.to_string());
    let stamp = dir.join(format!("{notes}.version"));
    let version = GENERATOR_VERSION.to_string();
    if vault.is_dir() && fs::read_to_string(&stamp).is_ok_and(|v| v.trim() == version) {
        return Ok((vault, false));
    }
    let partial = vault.with_extension("partial");
    let _ = fs::remove_dir_all(&partial);
    write_vault(&partial, notes, 42)?;
    if vault.exists() {
        fs::remove_dir_all(&vault)?;
    }
    fs::rename(&partial, &vault)?;
    fs::write(&stamp, version)?;
    Ok((vault, true))
}

/// `(title, aliases)` of every note `generate(notes, seed)` would produce, exactly as written in
/// the front matter, without generating bodies (cheap enough for 100k+ notes).
pub fn titles_and_aliases(notes: usize, seed: u64) -> Vec<(String, Vec<String>)> {
    (0..notes)
        .map(|i| {
            let n = Naming::new(seed, i);
            (n.title, n.aliases)
        })
        .collect()
}

/// `(file stem, title, aliases)` of every note: the strings a search index is built from.
pub fn names(notes: usize, seed: u64) -> Vec<(String, String, Vec<String>)> {
    (0..notes)
        .map(|i| {
            let n = Naming::new(seed, i);
            (n.stem, n.title, n.aliases)
        })
        .collect()
}

// ---------------------------------------------------------------------------------------------
// PRNG

/// splitmix64: tiny, fast, good enough for synthetic data, and trivially reproducible.
struct Rng(u64);

fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Independent streams per (seed, note, purpose), so one purpose never shifts another.
const STREAM_NAMING: u64 = 1;
const STREAM_META: u64 = 2;
const STREAM_BODY: u64 = 3;

impl Rng {
    fn stream(seed: u64, index: usize, purpose: u64) -> Rng {
        let s = mix64(seed ^ 0x5EED_0F7A_u64.wrapping_mul(purpose));
        Rng(mix64(s ^ mix64((index as u64).wrapping_add(purpose << 56))))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix64(self.0)
    }

    /// Uniform in `0..n` (`n > 0`), by multiply-shift (no modulo bias worth caring about).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: usize, hi: usize) -> usize {
        lo + self.below(hi - lo + 1)
    }

    /// Uniform in `[0, 1)`.
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<T: Copy>(&mut self, xs: &[T]) -> T {
        xs[self.below(xs.len())]
    }

    /// Standard normal (Box–Muller).
    fn normal(&mut self) -> f64 {
        let u1 = 1.0 - self.unit(); // (0, 1]
        let u2 = self.unit();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// `k` distinct indices below `n` (k <= n).
    fn distinct(&mut self, n: usize, k: usize) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::with_capacity(k);
        while out.len() < k {
            let x = self.below(n);
            if !out.contains(&x) {
                out.push(x);
            }
        }
        out
    }
}

// ---------------------------------------------------------------------------------------------
// Word lists

/// (display, stem token, Korean name) of the services/topics titles are built around.
const TOPICS: &[(&str, &str, &str)] = &[
    ("SageMaker", "sagemaker", "세이지메이커"),
    ("VPC", "vpc", "가상 네트워크"),
    ("PrivateLink", "privatelink", "프라이빗링크"),
    ("S3", "s3", "스토리지"),
    ("Kinesis", "kinesis", "키네시스"),
    ("Glue", "glue", "글루"),
    ("Athena", "athena", "아테나"),
    ("Redshift", "redshift", "레드시프트"),
    ("EMR", "emr", "하둡 클러스터"),
    ("Lambda", "lambda", "람다"),
    ("IAM", "iam", "권한 관리"),
    ("KMS", "kms", "키 관리"),
    ("CloudWatch", "cloudwatch", "클라우드워치"),
    ("Bedrock", "bedrock", "베드록"),
    ("Comprehend", "comprehend", "자연어 분석"),
    ("Rekognition", "rekognition", "이미지 분석"),
    ("Textract", "textract", "문서 추출"),
    ("Forecast", "forecast", "시계열 예측"),
    ("Personalize", "personalize", "추천 시스템"),
    ("XGBoost", "xgboost", "부스팅"),
    ("DynamoDB", "dynamodb", "다이나모"),
    ("Step Functions", "step-functions", "워크플로"),
    ("ECR", "ecr", "컨테이너 레지스트리"),
    ("EKS", "eks", "쿠버네티스"),
    ("Feature Store", "feature-store", "피처 스토어"),
    ("Model Monitor", "model-monitor", "모델 모니터"),
    ("Clarify", "clarify", "편향 탐지"),
    ("Data Wrangler", "data-wrangler", "데이터 랭글러"),
    ("Ground Truth", "ground-truth", "레이블링"),
    ("Autopilot", "autopilot", "오토파일럿"),
    ("Lake Formation", "lake-formation", "데이터 레이크"),
    ("QuickSight", "quicksight", "퀵사이트"),
    ("OpenSearch", "opensearch", "오픈서치"),
    ("MSK", "msk", "카프카"),
    ("Transcribe", "transcribe", "음성 인식"),
    ("Polly", "polly", "음성 합성"),
    ("Translate", "translate", "번역"),
    ("Kendra", "kendra", "엔터프라이즈 검색"),
    ("Batch Transform", "batch-transform", "배치 추론"),
    ("Pipelines", "pipelines", "파이프라인"),
];

/// (Korean word, English stem token) pairs for titles.
const KO_TITLE_WORDS: &[(&str, &str)] = &[
    ("보안", "security"),
    ("설정", "config"),
    ("네트워크", "network"),
    ("모델", "model"),
    ("학습", "training"),
    ("배포", "deployment"),
    ("비용", "cost"),
    ("최적화", "optimization"),
    ("모니터링", "monitoring"),
    ("데이터", "data"),
    ("파이프라인", "pipeline"),
    ("권한", "permissions"),
    ("암호화", "encryption"),
    ("로깅", "logging"),
    ("성능", "performance"),
    ("추론", "inference"),
    ("전처리", "preprocessing"),
    ("특성", "features"),
    ("평가", "evaluation"),
    ("튜닝", "tuning"),
    ("아키텍처", "architecture"),
    ("스트리밍", "streaming"),
    ("배치", "batch"),
    ("격리", "isolation"),
    ("복구", "recovery"),
    ("가용성", "availability"),
    ("확장성", "scalability"),
    ("거버넌스", "governance"),
    ("규정준수", "compliance"),
    ("실습", "lab"),
    ("요약", "summary"),
    ("비교", "comparison"),
    ("문제풀이", "practice"),
    ("개념", "concepts"),
    ("함정", "pitfalls"),
    ("패턴", "patterns"),
    ("자동화", "automation"),
    ("시각화", "visualization"),
    ("정리", "notes"),
    ("핵심", "essentials"),
];

/// (English display, stem token) generic title words.
const EN_TITLE_WORDS: &[(&str, &str)] = &[
    ("Security", "security"),
    ("Setup", "setup"),
    ("Best Practices", "best-practices"),
    ("Design", "design"),
    ("Troubleshooting", "troubleshooting"),
    ("Cheatsheet", "cheatsheet"),
    ("Deep Dive", "deep-dive"),
    ("Overview", "overview"),
    ("Limits", "limits"),
    ("Pricing", "pricing"),
    ("Patterns", "patterns"),
    ("Tuning", "tuning"),
    ("Metrics", "metrics"),
    ("Endpoints", "endpoints"),
    ("Encryption", "encryption"),
    ("Quotas", "quotas"),
    ("Integration", "integration"),
    ("Migration", "migration"),
];

const KO_NOUNS: &[&str] = &[
    "데이터",
    "모델",
    "보안",
    "네트워크",
    "트래픽",
    "엔드포인트",
    "서브넷",
    "인스턴스",
    "노트북",
    "파이프라인",
    "학습",
    "추론",
    "배포",
    "비용",
    "성능",
    "지연시간",
    "처리량",
    "정책",
    "권한",
    "역할",
    "암호화",
    "키",
    "로그",
    "지표",
    "알람",
    "대시보드",
    "스토리지",
    "버킷",
    "테이블",
    "스키마",
    "파티션",
    "카탈로그",
    "쿼리",
    "작업",
    "클러스터",
    "컨테이너",
    "이미지",
    "하이퍼파라미터",
    "특성",
    "레이블",
    "정확도",
    "재현율",
    "정밀도",
    "과적합",
    "정규화",
    "편향",
    "분산",
    "샘플",
    "배치",
    "스트림",
    "샤드",
    "컨슈머",
    "규정",
    "감사",
    "거버넌스",
    "요구사항",
    "아키텍처",
    "설계",
    "구성",
    "환경",
    "리전",
    "가용영역",
    "장애",
    "복구",
    "백업",
    "확장성",
    "가용성",
    "자동화",
    "워크플로",
    "이벤트",
    "트리거",
    "함수",
    "서비스",
    "고객",
    "조직",
    "운영",
    "모니터링",
    "시각화",
    "분석",
    "전처리",
    "변환",
    "검증",
    "평가",
    "실험",
    "버전",
    "승인",
    "롤백",
    "민감정보",
    "컴플라이언스",
    "백본 네트워크",
    "공용 인터넷",
    "비공개 연결",
    "데이터 유출",
    "접근 제어",
];

/// Particles as (after a final consonant, after a vowel).
const KO_PARTICLES: &[(&str, &str)] = &[
    ("을", "를"),
    ("은", "는"),
    ("이", "가"),
    ("과", "와"),
    ("으로", "로"),
    ("의", "의"),
    ("에", "에"),
    ("에서", "에서"),
    ("도", "도"),
    ("만", "만"),
];

/// The particle form that agrees with `word`'s last sound (Hangul batchim; crude for Latin).
fn particle(word: &str, p: (&'static str, &'static str)) -> &'static str {
    let closed = match word.chars().next_back() {
        Some(c @ '\u{AC00}'..='\u{D7A3}') => !(c as u32 - 0xAC00).is_multiple_of(28),
        Some(c) => !matches!(c.to_ascii_lowercase(), 'a' | 'e' | 'i' | 'o' | 'u' | 'y'),
        None => false,
    };
    if closed { p.0 } else { p.1 }
}

const KO_ADVERBS: &[&str] = &[
    "완전히",
    "안전하게",
    "효율적으로",
    "자동으로",
    "빠르게",
    "상대적으로",
    "반드시",
    "주로",
    "직접",
    "동시에",
    "일반적으로",
    "실제로",
    "가장",
    "세밀하게",
];

const KO_ENDINGS: &[&str] = &[
    "제공한다.",
    "필요하다.",
    "중요합니다.",
    "고려해야 한다.",
    "권장된다.",
    "가능하다.",
    "우회합니다.",
    "최소화할 수 있다.",
    "선택해야 한다.",
    "지원합니다.",
    "구성한다.",
    "설정해야 합니다.",
    "적합하다.",
    "부적합하다.",
    "발생한다.",
    "충족한다.",
    "줄일 수 있다.",
    "확인해야 한다.",
    "유의해야 한다.",
    "보장한다.",
    "처리합니다.",
    "분리한다.",
    "자주 출제된다.",
    "헷갈리기 쉽다.",
];

const EN_TERMS: &[&str] = &[
    "VPC Endpoint",
    "PrivateLink",
    "NAT Gateway",
    "Security Group",
    "IAM Role",
    "KMS Key",
    "S3 Bucket",
    "SageMaker Notebook",
    "Training Job",
    "Processing Job",
    "Real-time Endpoint",
    "Model Registry",
    "Feature Store",
    "Kinesis Data Streams",
    "Kinesis Data Firehose",
    "Glue Crawler",
    "Glue Data Catalog",
    "Athena",
    "Redshift Spectrum",
    "EMR Cluster",
    "Lambda",
    "Step Functions",
    "CloudWatch",
    "CloudTrail",
    "Model Monitor",
    "Clarify",
    "Data Wrangler",
    "Ground Truth",
    "Autopilot",
    "XGBoost",
    "Linear Learner",
    "BlazingText",
    "DeepAR",
    "Random Cut Forest",
    "Spot Instance",
    "Inferentia",
    "Batch Transform",
    "Async Inference",
    "Serverless Inference",
    "Multi-Model Endpoint",
    "Pipe mode",
    "RecordIO",
    "Parquet",
    "Lake Formation",
    "Bedrock",
    "Knowledge Base",
    "Guardrails",
    "Transit Gateway",
    "Direct Connect",
    "Route Table",
    "Private DNS",
    "AWS Backbone",
    "Client VPN",
    "VPC Peering",
];

const EN_NOUNS: &[&str] = &[
    "internet access",
    "cross-account access",
    "low latency",
    "high throughput",
    "data exfiltration",
    "cost",
    "operational overhead",
    "encryption at rest",
    "encryption in transit",
    "fine-grained access control",
    "real-time inference",
    "batch scoring",
    "schema evolution",
    "class imbalance",
    "concept drift",
    "training-serving skew",
    "cold starts",
    "horizontal scaling",
    "auditability",
    "reproducibility",
    "model explainability",
    "data residency",
];

const EN_ADJS: &[&str] = &[
    "most secure",
    "cheapest",
    "simplest",
    "most scalable",
    "recommended",
    "least operationally complex",
    "fully managed",
    "preferred",
];

const EN_TEMPLATES: &[&str] = &[
    "{T} provides {A} access to {U} without {N}.",
    "Use {T} when the workload requires {N} and {M}.",
    "In most exam scenarios, {T} is the {A} choice for {N}.",
    "{T} can be combined with {U} to reduce {N}.",
    "Remember that {T} does not address {N} by default.",
    "If {N} is a hard requirement, prefer {T} over {U}.",
    "The trade-off between {N} and {M} usually decides between {T} and {U}.",
    "A common distractor is {U}, which solves {M} but not {N}.",
];

const CODE_SPANS: &[&str] = &[
    "aws sagemaker create-presigned-notebook-instance-url",
    "DirectInternetAccess=Disabled",
    "com.amazonaws.us-east-1.sagemaker.api",
    "s3:GetObject",
    "kms:Decrypt",
    "InstanceType=ml.m5.xlarge",
    "EnableNetworkIsolation=True",
    "VolumeKmsKeyId",
    "ml.p3.2xlarge",
    "max_depth",
    "eta",
    "num_round",
    "objective=binary:logistic",
    "InputMode=Pipe",
    "ContentType=text/csv",
    "aws:SourceVpce",
    "sagemaker:VpcSubnets",
    "scale_pos_weight",
    "early_stopping_rounds",
    "ShardCount",
];

const H2_FILLER: &[&str] = &[
    "## ⚠️ 주의사항",
    "## 💡 팁",
    "## 🧪 실습",
    "## 📊 비교",
    "## 🧠 암기 포인트",
    "## 📚 참고자료",
    "## 🛠️ 설정 방법",
    "## 🚀 실전 적용",
];

const H3_TEMPLATES: &[&str] = &[
    "{T}가 {K} 요구사항에 적합한 이유",
    "Trade-offs 고려사항",
    "실전 적용",
    "{T} vs {U}",
    "동작 방식",
    "설정 단계",
    "자주 나오는 함정",
    "{K} 비교",
    "{T} 핵심 정리",
    "When to use {T}",
];

/// Headings every note has, so `[[stem#heading]]` links resolve.
const SHARED_HEADINGS: &[&str] = &["🎯 핵심 포인트", "📝 설명", "🔍 주요개념", "🔗 관련 노트"];

const DIAGRAM_NODES: &[&str] = &[
    "Private Subnet",
    "VPC Endpoint",
    "PrivateLink",
    "SageMaker Service",
    "SageMaker Notebook",
    "Interface Endpoint",
    "AWS Backbone",
    "SageMaker API",
    "Security Groups",
    "Route Tables",
    "Private DNS",
    "Service Access",
    "Raw Data",
    "S3 Raw",
    "Glue ETL",
    "S3 Curated",
    "Training Job",
    "Model Artifact",
    "Endpoint",
    "API Gateway",
    "Application",
    "Kinesis Stream",
    "Lambda",
    "Feature Store",
    "Model Monitor",
    "CloudWatch Alarm",
    "사용자",
    "데이터 수집",
    "전처리",
    "모델 학습",
    "배포",
    "모니터링",
];

// ---------------------------------------------------------------------------------------------
// Tag vocabulary

/// The ~300 hierarchical tags notes draw from (English and Korean, 2–3 levels).
fn tag_vocab() -> Vec<String> {
    const GROUPS: &[(&str, &[&str])] = &[
        (
            "security",
            &[
                "iam",
                "kms",
                "encryption",
                "vpc-endpoints",
                "network-isolation",
                "secrets",
                "audit",
                "compliance",
                "vpc-endpoints/interface",
                "vpc-endpoints/gateway",
                "iam/roles",
                "iam/policies",
                "iam/least-privilege",
                "encryption/at-rest",
                "encryption/in-transit",
                "kms/cmk",
                "kms/key-rotation",
            ],
        ),
        (
            "connectivity",
            &[
                "privatelink",
                "vpc-peering",
                "nat-gateway",
                "transit-gateway",
                "direct-connect",
                "vpn",
                "internet-gateway",
                "route53",
            ],
        ),
        (
            "constraint",
            &[
                "no-internet",
                "low-latency",
                "cost",
                "real-time",
                "batch",
                "data-residency",
                "limited-labels",
                "imbalanced-data",
                "small-team",
                "legacy",
            ],
        ),
        (
            "industry",
            &[
                "financial",
                "healthcare",
                "retail",
                "manufacturing",
                "media",
                "public-sector",
                "gaming",
                "telecom",
                "automotive",
                "energy",
            ],
        ),
        (
            "ml",
            &[
                "algorithm/xgboost",
                "algorithm/linear-learner",
                "algorithm/k-means",
                "algorithm/knn",
                "algorithm/random-cut-forest",
                "algorithm/deepar",
                "algorithm/blazingtext",
                "algorithm/object2vec",
                "algorithm/seq2seq",
                "algorithm/image-classification",
                "algorithm/object-detection",
                "algorithm/semantic-segmentation",
                "algorithm/pca",
                "algorithm/lda",
                "algorithm/ntm",
                "algorithm/factorization-machines",
                "algorithm/ip-insights",
                "overfitting",
                "regularization",
                "hyperparameter-tuning",
                "cross-validation",
                "feature-engineering",
                "class-imbalance",
                "transfer-learning",
                "drift",
                "bias",
                "explainability",
                "metrics/auc",
                "metrics/f1",
                "metrics/rmse",
                "metrics/precision-recall",
            ],
        ),
        (
            "data",
            &[
                "ingestion",
                "streaming",
                "batch",
                "etl",
                "lake",
                "warehouse",
                "catalog",
                "labeling",
                "quality",
                "formats/parquet",
                "formats/recordio",
                "formats/csv",
                "formats/json",
                "partitioning",
                "compression",
            ],
        ),
        (
            "deploy",
            &[
                "real-time-endpoint",
                "serverless",
                "async-inference",
                "batch-transform",
                "multi-model",
                "shadow-testing",
                "canary",
                "blue-green",
                "edge",
                "autoscaling",
            ],
        ),
        (
            "exam",
            &[
                "domain1-data-engineering",
                "domain2-eda",
                "domain3-modeling",
                "domain4-ml-ops",
                "mls-c01",
                "mla-c01",
                "practice",
                "tricky",
                "review-needed",
            ],
        ),
        (
            "주제",
            &[
                "네트워크",
                "보안",
                "데이터",
                "모델링",
                "배포",
                "비용",
                "모니터링",
                "스트리밍",
                "분석",
                "거버넌스",
                "자동화",
                "스토리지",
                "추론",
                "학습",
                "평가",
                "시각화",
                "전처리",
                "아키텍처",
            ],
        ),
        ("난이도", &["쉬움", "보통", "어려움"]),
        ("상태", &["초안", "복습필요", "완료", "정리중"]),
        (
            "type",
            &[
                "concept",
                "question",
                "lab",
                "comparison",
                "cheatsheet",
                "summary",
            ],
        ),
        (
            "source",
            &[
                "udemy",
                "whizlabs",
                "aws-docs",
                "skillbuilder",
                "blog",
                "re-invent",
            ],
        ),
        (
            "compute",
            &[
                "ec2",
                "spot",
                "gpu",
                "inferentia",
                "trainium",
                "graviton",
                "fargate",
                "lambda",
                "batch",
                "eks",
            ],
        ),
        (
            "storage",
            &[
                "s3",
                "s3/lifecycle",
                "s3/intelligent-tiering",
                "efs",
                "fsx-lustre",
                "ebs",
                "glacier",
            ],
        ),
        (
            "analytics",
            &[
                "athena",
                "redshift",
                "emr",
                "glue",
                "quicksight",
                "opensearch",
                "kinesis-analytics",
                "msk",
            ],
        ),
        (
            "nlp",
            &[
                "tokenization",
                "embeddings",
                "transformers",
                "sentiment",
                "ner",
                "topic-modeling",
                "translation",
                "summarization",
            ],
        ),
        (
            "cv",
            &[
                "classification",
                "detection",
                "segmentation",
                "ocr",
                "augmentation",
            ],
        ),
        (
            "genai",
            &[
                "bedrock",
                "rag",
                "prompt-engineering",
                "fine-tuning",
                "guardrails",
                "agents",
                "embeddings",
                "jumpstart",
            ],
        ),
        (
            "mlops",
            &[
                "pipelines",
                "model-registry",
                "feature-store",
                "experiments",
                "lineage",
                "ci-cd",
                "monitoring",
                "drift-detection",
            ],
        ),
        (
            "개념",
            &[
                "과적합",
                "정규화",
                "편향",
                "분산",
                "교차검증",
                "차원축소",
                "앙상블",
                "부스팅",
                "임베딩",
                "손실함수",
                "경사하강법",
                "활성화함수",
            ],
        ),
        (
            "서비스",
            &[
                "세이지메이커",
                "키네시스",
                "글루",
                "아테나",
                "레드시프트",
                "람다",
                "베드록",
            ],
        ),
        (
            "stats",
            &[
                "distributions",
                "hypothesis-testing",
                "correlation",
                "sampling",
                "outliers",
                "missing-values",
                "normalization",
                "standardization",
            ],
        ),
        (
            "cost",
            &[
                "spot-training",
                "savings-plans",
                "right-sizing",
                "serverless",
                "storage-tiering",
            ],
        ),
        (
            "monitoring",
            &[
                "cloudwatch",
                "cloudtrail",
                "model-monitor",
                "alarms",
                "dashboards",
            ],
        ),
        (
            "governance",
            &[
                "lake-formation",
                "macie",
                "config",
                "tagging",
                "data-lineage",
            ],
        ),
        (
            "project",
            &[
                "churn",
                "fraud-detection",
                "forecasting",
                "recommendation",
                "anomaly-detection",
                "image-search",
                "chatbot",
                "document-processing",
            ],
        ),
    ];
    let mut v: Vec<String> = TOPICS.iter().map(|t| format!("service/{}", t.1)).collect();
    for (root, kids) in GROUPS {
        v.extend(kids.iter().map(|k| format!("{root}/{k}")));
    }
    v
}

// ---------------------------------------------------------------------------------------------
// Front matter

/// Title, aliases and file stem: everything `titles_and_aliases` needs, from its own stream.
struct Naming {
    title: String,
    aliases: Vec<String>,
    stem: String,
    /// Index into `TOPICS` of the title's main service.
    topic: usize,
}

impl Naming {
    fn new(seed: u64, index: usize) -> Naming {
        let mut r = Rng::stream(seed, index, STREAM_NAMING);
        // The number makes titles and stems unique; 3 digits minimum, like "... 017".
        let num = format!("{:03}", index + 1);
        let topic = r.below(TOPICS.len());
        let (t_disp, t_stem, t_ko) = TOPICS[topic];
        let ko = r.distinct(KO_TITLE_WORDS.len(), 2);
        let (k1, k2) = (KO_TITLE_WORDS[ko[0]], KO_TITLE_WORDS[ko[1]]);
        let en = r.pick(EN_TITLE_WORDS);
        let (title, stem) = match r.below(5) {
            0 | 1 => (
                format!("{t_disp} {} {} {num}", k1.0, k2.0),
                format!("{t_stem}-{}-{}-{num}", k1.1, k2.1),
            ),
            2 => (
                format!("{t_disp} {} {num}", en.0),
                format!("{t_stem}-{}-{num}", en.1),
            ),
            3 => (
                format!("{} {t_disp} {} {num}", k1.0, k2.0),
                format!("{}-{t_stem}-{}-{num}", k1.1, k2.1),
            ),
            _ => {
                let (o_disp, o_stem, _) =
                    TOPICS[(topic + 1 + r.below(TOPICS.len() - 1)) % TOPICS.len()];
                (
                    format!("{t_disp} {o_disp} {} {} {num}", en.0, k1.0),
                    format!("{t_stem}-{o_stem}-{}-{}-{num}", en.1, k1.1),
                )
            }
        };
        let n_alias = match r.below(20) {
            0..=3 => 0,
            4..=9 => 1,
            10..=14 => 2,
            15..=17 => 3,
            _ => 4,
        };
        // An alias carries the note's number, as a title does: aliases from a few hundred words
        // would otherwise repeat across notes (11k `duplicate-alias` problems at 10k notes),
        // which real vaults do not do. The duplicates a vault has are seeded below.
        let mut aliases: Vec<String> = Vec::with_capacity(n_alias + 1);
        while aliases.len() < n_alias {
            let k = r.pick(KO_TITLE_WORDS);
            let e = r.pick(EN_TITLE_WORDS);
            let a = match r.below(5) {
                0 => format!("{t_stem}-{}-{num}", k.1),
                1 => format!("{t_ko} {} {num}", k.0),
                2 => format!("{t_disp} {} {num}", e.0),
                3 => format!("{}{} {num}", k.0, r.pick(KO_TITLE_WORDS).0),
                _ => format!("{}-{}-{num}", t_stem, e.1),
            };
            if !aliases.contains(&a) {
                aliases.push(a);
            }
        }
        if let Some(a) = seeded_duplicate_alias(seed, index) {
            aliases.push(a);
        }
        Naming {
            title,
            aliases,
            stem,
            topic,
        }
    }
}

/// Every [`DUPLICATE_ALIAS_EVERY`]th note (from the one at `DUPLICATE_ALIAS_EVERY / 2`) also
/// carries the first alias of the note before it: the vault's only `duplicate-alias` problems,
/// one each (the note before has no seeded alias of its own, so nothing chains).
pub const DUPLICATE_ALIAS_EVERY: usize = 250;

/// The alias note `index` shares with note `index - 1`, when it is one of the seeded ones and
/// that note has an alias.
fn seeded_duplicate_alias(seed: u64, index: usize) -> Option<String> {
    if index % DUPLICATE_ALIAS_EVERY != DUPLICATE_ALIAS_EVERY / 2 {
        return None;
    }
    Naming::new(seed, index - 1).aliases.into_iter().next()
}

/// The number of `duplicate-alias` problems `check` reports on `generate(notes, seed)`.
pub fn seeded_duplicate_aliases(notes: usize, seed: u64) -> usize {
    (0..notes)
        .filter(|&i| seeded_duplicate_alias(seed, i).is_some())
        .count()
}

/// Link targets of deliberately unresolved links start with this.
pub const UNRESOLVED_PREFIX: &str = "unwritten-";

const SUBFOLDERS: &[&str] = &["labs", "exam-prep", "deep-dive", "archive"];

/// Everything in a note's front matter plus where it lives.
struct Meta {
    title: String,
    aliases: Vec<String>,
    stem: String,
    dir: PathBuf,
    tags: Vec<usize>,
    created: (u32, u32, u32),
    modified: (u32, u32, u32),
    /// Seed-style blank lines just inside the `---` fences.
    padded: bool,
    /// `  - tag` instead of the seed's `- tag`.
    indent_tags: bool,
}

impl Meta {
    fn new(seed: u64, index: usize) -> Meta {
        let naming = Naming::new(seed, index);
        let mut r = Rng::stream(seed, index, STREAM_META);
        let mut dir = PathBuf::from(format!("area-{:02}", r.below(12)));
        dir.push(format!("topic-{:02}", r.below(20)));
        if r.chance(0.3) {
            dir.push(r.pick(SUBFOLDERS));
        }
        let vocab_len = tag_vocab_len();
        let n_tags = r.range(1, 6);
        let mut tags: Vec<usize> = Vec::with_capacity(n_tags);
        // Most notes are tagged with their own service first (service/* tags come first).
        if r.chance(0.7) {
            tags.push(naming.topic);
        }
        while tags.len() < n_tags {
            // Skewed towards the front half so some tags are popular and others rare.
            let u = r.unit();
            let t = ((u * u) * vocab_len as f64) as usize % vocab_len;
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        let cm = r.range(1, 12) as u32;
        let cd = r.range(1, 28) as u32;
        let span = r.below(8) as u32; // months until last modified
        let (my, mm) = if cm + span > 12 {
            (2025, cm + span - 12)
        } else {
            (2024, cm + span)
        };
        let md = if span == 0 {
            r.range(cd as usize, 28) as u32
        } else {
            r.range(1, 28) as u32
        };
        Meta {
            title: naming.title,
            aliases: naming.aliases,
            stem: naming.stem,
            dir,
            tags,
            created: (2024, cm, cd),
            modified: (my, mm, md),
            padded: r.chance(0.25),
            indent_tags: r.chance(0.2),
        }
    }

    fn rel_path(&self) -> PathBuf {
        self.dir.join(format!("{}.md", self.stem))
    }

    /// The note's path from the vault's root without `.md`, with `/` on every platform.
    fn link_path(&self) -> String {
        let mut p: String = self
            .dir
            .iter()
            .map(|c| c.to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        p.push('/');
        p.push_str(&self.stem);
        p
    }

    fn front_matter(&self, vocab: &[String], out: &mut String) {
        let pad = if self.padded { "\n" } else { "" };
        let (cy, cm, cd) = self.created;
        let (my, mm, md) = self.modified;
        let _ = write!(
            out,
            "---\n{pad}title: {}\ncreated: {cy}-{cm:02}-{cd:02}\nmodified: {my}-{mm:02}-{md:02}\ntags:\n",
            self.title
        );
        let dash = if self.indent_tags { "  - " } else { "- " };
        for &t in &self.tags {
            let _ = writeln!(out, "{dash}{}", vocab[t]);
        }
        out.push_str("aliases: [");
        for (k, a) in self.aliases.iter().enumerate() {
            if k > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{a}\"");
        }
        let _ = write!(out, "]\n{pad}---\n\n");
    }
}

fn tag_vocab_len() -> usize {
    use std::sync::OnceLock;
    static LEN: OnceLock<usize> = OnceLock::new();
    *LEN.get_or_init(|| tag_vocab().len())
}

// ---------------------------------------------------------------------------------------------
// Note size model

/// Target size in bytes: log-normal bulk (median ≈2.2 KB before the fixed parts push it to
/// ≈3 KB) plus a ~1% heavy tail between 28 KB and 200 KB, weighted towards its low end.
fn target_size(r: &mut Rng) -> usize {
    if r.chance(0.0105) {
        let u = r.unit();
        (28_000.0 * (200.0f64 / 28.0).powf(u.powf(1.5))) as usize
    } else {
        let z = r.normal().clamp(-3.5, 3.5);
        (2_150.0 * (0.55 * z).exp()) as usize
    }
}

// ---------------------------------------------------------------------------------------------
// Bodies

struct Body<'a> {
    metas: &'a [Meta],
    vocab: &'a [String],
    index: usize,
    r: Rng,
}

fn render_note(metas: &[Meta], vocab: &[String], seed: u64, index: usize) -> String {
    let mut b = Body {
        metas,
        vocab,
        index,
        r: Rng::stream(seed, index, STREAM_BODY),
    };
    let target = target_size(&mut b.r);
    let has_diagram = b.r.chance(1.0 / 3.0);
    let has_question = b.r.chance(0.4);
    let has_mermaid = b.r.chance(0.05);

    let meta = &metas[index];
    let mut out = String::with_capacity(target + 2048);
    meta.front_matter(vocab, &mut out);

    // Head: title, key point, start of the explanation.
    let _ = write!(out, "# {}\n\n## 🎯 핵심 포인트\n\n", meta.title);
    b.paragraph(&mut out, true);
    out.push_str("## 📝 설명\n\n");
    b.h3(&mut out);
    b.paragraph(&mut out, true);
    if has_diagram {
        out.push_str("### 아키텍처 플로우\n\n");
        b.arrow_diagram(&mut out);
    }
    if has_mermaid {
        out.push_str("### 흐름도\n\n");
        b.mermaid(&mut out);
    }

    // Tail is built first so the filler can stop at the target size.
    let mut tail = String::new();
    tail.push_str("## 🔍 주요개념\n\n");
    b.concept_list(&mut tail);
    if has_question {
        b.question(&mut tail);
    }
    tail.push_str("## 🔗 관련 노트\n\n");
    for _ in 0..b.r.range(2, 6) {
        tail.push_str("- ");
        b.link(&mut tail);
        tail.push('\n');
    }

    let mut sections = 0;
    while out.len() + tail.len() < target {
        if sections % 3 == 2 {
            let _ = write!(out, "{}\n\n", b.r.pick(H2_FILLER));
        }
        sections += 1;
        match b.r.below(10) {
            0..=2 => {
                b.h3(&mut out);
                for _ in 0..b.r.range(1, 3) {
                    let korean = !b.r.chance(0.2);
                    b.paragraph(&mut out, korean);
                }
            }
            3 => b.pros_cons(&mut out),
            4 => b.concept_list(&mut out),
            5 => b.code_block(&mut out),
            6 => b.callout(&mut out),
            7 => b.table(&mut out),
            8 => b.numbered(&mut out),
            _ => b.paragraph(&mut out, true),
        }
    }
    out.push_str(&tail);
    out
}

impl Body<'_> {
    fn term(&mut self) -> &'static str {
        self.r.pick(EN_TERMS)
    }

    fn ko_noun(&mut self) -> &'static str {
        self.r.pick(KO_NOUNS)
    }

    fn tag(&mut self) -> &str {
        let n = self.vocab.len();
        let i = self.r.below(n);
        &self.vocab[i]
    }

    /// A `[[wikilink]]` to another note of the vault (~3% deliberately unresolved).
    fn link(&mut self, out: &mut String) {
        let n = self.metas.len();
        if n < 2 || self.r.chance(0.03) {
            let _ = write!(
                out,
                "[[{UNRESOLVED_PREFIX}{}-{}]]",
                self.r.pick(TOPICS).1,
                self.r.below(10_000)
            );
            return;
        }
        // Mix of uniform and hub-skewed targets, so some notes collect many backlinks.
        let mut j = if self.r.chance(0.6) {
            self.r.below(n)
        } else {
            let u = self.r.unit();
            ((u * u * u) * n as f64) as usize % n
        };
        if j == self.index {
            j = (j + 1) % n;
        }
        let t = &self.metas[j];
        match self.r.below(20) {
            // Links name notes as Obsidian resolves them: by file name mostly, some by the path
            // from the vault's root or by the last folder and the name (never by title: Obsidian
            // leaves `[[Title]]` unresolved); aliases only after `|`.
            0..=8 => {
                let _ = write!(out, "[[{}]]", t.stem);
            }
            9 | 10 => {
                let _ = write!(out, "[[{}]]", t.link_path());
            }
            11 => {
                let last = t.dir.file_name().and_then(|d| d.to_str()).unwrap_or("");
                let _ = write!(out, "[[{last}/{}]]", t.stem);
            }
            12..=14 => {
                let shown = if t.aliases.is_empty() {
                    t.title.clone()
                } else {
                    t.aliases[self.r.below(t.aliases.len())].clone()
                };
                let _ = write!(out, "[[{}|{shown}]]", t.stem);
            }
            15..=17 => {
                let _ = write!(out, "[[{}#{}]]", t.stem, self.r.pick(SHARED_HEADINGS));
            }
            _ => {
                let _ = write!(
                    out,
                    "[[{}#{}|{}]]",
                    t.stem,
                    self.r.pick(SHARED_HEADINGS),
                    t.title
                );
            }
        }
    }

    /// Inline extras sprinkled after a sentence: link, tag, code span or bold term.
    fn extras(&mut self, out: &mut String) {
        let x = self.r.below(100);
        if x < 9 {
            out.push_str(" 참고: ");
            self.link(out);
        } else if x < 14 {
            let tag = self.tag().to_string();
            let _ = write!(out, " #{tag}");
        } else if x < 20 {
            let _ = write!(out, " `{}`", self.r.pick(CODE_SPANS));
        } else if x < 24 {
            let _ = write!(out, " **{}**", self.term());
        }
    }

    fn ko_sentence(&mut self, out: &mut String) {
        let words = self.r.range(4, 9);
        for w in 0..words {
            if w > 0 {
                out.push(' ');
            }
            match self.r.below(10) {
                0..=2 => {
                    let t = self.term();
                    let p = particle(t, self.r.pick(KO_PARTICLES));
                    let _ = write!(out, "{t}{p}");
                }
                3 => out.push_str(self.r.pick(KO_ADVERBS)),
                _ => {
                    let n = self.ko_noun();
                    out.push_str(n);
                    if self.r.chance(0.6) {
                        out.push_str(particle(n, self.r.pick(KO_PARTICLES)));
                    }
                }
            }
        }
        out.push(' ');
        out.push_str(self.r.pick(KO_ENDINGS));
    }

    fn en_sentence(&mut self, out: &mut String) {
        let tpl = self.r.pick(EN_TEMPLATES);
        let mut rest = tpl;
        while let Some(p) = rest.find('{') {
            out.push_str(&rest[..p]);
            let key = &rest[p + 1..p + 2];
            let word = match key {
                "T" | "U" => self.term(),
                "A" => self.r.pick(EN_ADJS),
                _ => self.r.pick(EN_NOUNS),
            };
            out.push_str(word);
            rest = &rest[p + 3..];
        }
        out.push_str(rest);
    }

    /// 2–6 sentences; Korean with English terms, or English.
    fn paragraph(&mut self, out: &mut String, korean: bool) {
        for s in 0..self.r.range(2, 6) {
            if s > 0 {
                out.push(' ');
            }
            if korean {
                self.ko_sentence(out);
            } else {
                self.en_sentence(out);
            }
            self.extras(out);
        }
        out.push_str("\n\n");
    }

    fn h3(&mut self, out: &mut String) {
        let tpl = self.r.pick(H3_TEMPLATES);
        out.push_str("### ");
        let mut rest = tpl;
        while let Some(p) = rest.find('{') {
            out.push_str(&rest[..p]);
            let word = match &rest[p + 1..p + 2] {
                "K" => self.r.pick(KO_TITLE_WORDS).0,
                _ => self.term(),
            };
            out.push_str(word);
            rest = &rest[p + 3..];
        }
        out.push_str(rest);
        out.push_str("\n\n");
    }

    fn short_ko(&mut self, out: &mut String) {
        let a = self.ko_noun();
        let p = particle(a, self.r.pick(KO_PARTICLES));
        let b = self.ko_noun();
        let e = self.r.pick(KO_ENDINGS).trim_end_matches('.');
        let _ = write!(out, "{a}{p} {b} {e}");
    }

    fn pros_cons(&mut self, out: &mut String) {
        let t = self.term();
        for side in ["장점", "단점"] {
            let _ = writeln!(out, "**{t} {side}**:");
            for _ in 0..self.r.range(2, 4) {
                out.push_str("- ");
                self.short_ko(out);
                out.push('\n');
            }
            out.push('\n');
        }
    }

    fn concept_list(&mut self, out: &mut String) {
        for _ in 0..self.r.range(3, 5) {
            let t = self.term();
            let _ = write!(out, "- **{t}**: ");
            self.short_ko(out);
            if self.r.chance(0.15) {
                out.push_str(", ");
                self.link(out);
            }
            out.push('\n');
        }
        out.push('\n');
    }

    fn numbered(&mut self, out: &mut String) {
        for k in 1..=self.r.range(3, 6) {
            let _ = write!(out, "{k}. ");
            self.ko_sentence(out);
            out.push('\n');
        }
        out.push('\n');
    }

    fn callout(&mut self, out: &mut String) {
        let (kind, label) = self.r.pick(&[
            ("tip", "팁"),
            ("warning", "주의"),
            ("note", "메모"),
            ("important", "시험 포인트"),
        ]);
        let _ = write!(out, "> [!{kind}] {label}\n> ");
        self.ko_sentence(out);
        out.push_str("\n> ");
        self.ko_sentence(out);
        out.push_str("\n\n");
    }

    fn table(&mut self, out: &mut String) {
        let t = self.term();
        let u = self.term();
        let _ = write!(out, "| 구분 | {t} | {u} |\n|---|---|---|\n");
        for _ in 0..self.r.range(3, 6) {
            let k = self.ko_noun();
            let a = self
                .r
                .pick(&["높음", "낮음", "보통", "지원", "미지원", "필요", "불필요"]);
            let b = self
                .r
                .pick(&["높음", "낮음", "보통", "지원", "미지원", "필요", "불필요"]);
            let _ = writeln!(out, "| {k} | {a} | {b} |");
        }
        out.push('\n');
    }

    fn code_block(&mut self, out: &mut String) {
        match self.r.below(4) {
            0 => {
                let inst = self.r.pick(&[
                    "ml.m5.xlarge",
                    "ml.c5.2xlarge",
                    "ml.p3.2xlarge",
                    "ml.g4dn.xlarge",
                ]);
                let depth = self.r.range(3, 10);
                let rounds = self.r.range(50, 500);
                let _ = write!(
                    out,
                    "```python\nfrom sagemaker.estimator import Estimator\n\nestimator = Estimator(\n    image_uri=xgb_image,\n    role=role,\n    instance_count={},\n    instance_type=\"{inst}\",\n    subnets=private_subnets,\n    security_group_ids=[sg_id],\n    enable_network_isolation=True,\n)\nestimator.set_hyperparameters(max_depth={depth}, eta=0.2, num_round={rounds})\nestimator.fit({{\"train\": train_input}})\n```\n\n",
                    self.r.range(1, 4)
                );
            }
            1 => {
                let region = self.r.pick(&["us-east-1", "ap-northeast-2", "eu-west-1"]);
                let svc = self
                    .r
                    .pick(&["sagemaker.api", "sagemaker.runtime", "s3", "sts", "logs"]);
                let _ = write!(
                    out,
                    "```bash\naws ec2 create-vpc-endpoint \\\n  --vpc-id vpc-{:08x} \\\n  --vpc-endpoint-type Interface \\\n  --service-name com.amazonaws.{region}.{svc} \\\n  --subnet-ids subnet-{:08x} \\\n  --private-dns-enabled\n```\n\n",
                    self.r.next_u64() as u32,
                    self.r.next_u64() as u32
                );
            }
            2 => {
                let action = self.r.pick(CODE_SPANS);
                let _ = write!(
                    out,
                    "```json\n{{\n  \"Version\": \"2012-10-17\",\n  \"Statement\": [\n    {{\n      \"Effect\": \"Deny\",\n      \"Action\": \"s3:*\",\n      \"Resource\": \"arn:aws:s3:::bucket-{:06}/*\",\n      \"Condition\": {{ \"StringNotEquals\": {{ \"aws:SourceVpce\": \"vpce-{:08x}\" }} }}\n    }}\n  ],\n  \"Comment\": \"{action}\"\n}}\n```\n\n",
                    self.r.below(1_000_000),
                    self.r.next_u64() as u32
                );
            }
            _ => {
                let _ = write!(
                    out,
                    "```yaml\npipeline:\n  name: train-{}\n  steps:\n    - preprocess\n    - train\n    - evaluate\n    - register\n  instance_type: ml.m5.large\n  approval: {}\n```\n\n",
                    self.r.below(1000),
                    self.r.pick(&["Manual", "Automatic"])
                );
            }
        }
    }

    /// Seed-style diagram: rows of `[A] → [B] → [C]` joined by `↓` rows, in an unlabelled
    /// fence. Each `↓` sits under a node centre of the row above, and the row below is padded so
    /// its nodes sit under the arrows where the labels leave room (hand-drawn, slightly loose).
    fn arrow_diagram(&mut self, out: &mut String) {
        let rows = self.r.range(2, 4);
        let cols = self.r.range(3, 4);
        // Labels are distinct across the whole diagram, so each names one node.
        let labels = self.r.distinct(DIAGRAM_NODES.len(), rows * cols);
        out.push_str("```\n");
        let mut arrows: Vec<usize> = Vec::new();
        for row in 0..rows {
            if row > 0 {
                let mut col = 0;
                for &c in &arrows {
                    out.extend(std::iter::repeat_n(' ', c - col));
                    out.push('↓');
                    col = c + 1;
                }
                out.push('\n');
            }
            // First and last rows chain with arrows; middle rows are mostly bare like the seed's.
            let chained = row == 0 || row == rows - 1 || self.r.chance(0.3);
            let min_gap = if chained { 3 } else { 1 };
            let picks = &labels[row * cols..(row + 1) * cols];
            let mut width = 0;
            let mut centres: Vec<usize> = Vec::with_capacity(cols);
            for (k, &p) in picks.iter().enumerate() {
                let label = DIAGRAM_NODES[p];
                let w = display_width(label) + 2;
                let earliest = if k == 0 { 0 } else { width + min_gap };
                let wanted = arrows.get(k).map_or(0, |&a| a.saturating_sub(w / 2));
                let start = earliest.max(wanted);
                let gap = start - width;
                if chained && k > 0 {
                    let left = (gap - 1) / 2;
                    out.extend(std::iter::repeat_n(' ', left));
                    out.push('→');
                    out.extend(std::iter::repeat_n(' ', gap - 1 - left));
                } else {
                    out.extend(std::iter::repeat_n(' ', gap));
                }
                out.push('[');
                out.push_str(label);
                out.push(']');
                centres.push(start + w / 2);
                width = start + w;
            }
            out.push('\n');
            arrows = centres;
        }
        out.push_str("```\n\n");
    }

    fn mermaid(&mut self, out: &mut String) {
        let n = self.r.range(3, 6);
        let picks = self.r.distinct(DIAGRAM_NODES.len(), n);
        out.push_str("```mermaid\nflowchart LR\n");
        for k in 1..n {
            let _ = writeln!(
                out,
                "    N{}[\"{}\"] --> N{}[\"{}\"]",
                k - 1,
                DIAGRAM_NODES[picks[k - 1]],
                k,
                DIAGRAM_NODES[picks[k]]
            );
        }
        out.push_str("```\n\n");
    }

    /// A multiple-choice question in the seed's format.
    fn question(&mut self, out: &mut String) {
        const INDUSTRIES: &[&str] = &[
            "financial services firm",
            "healthcare provider",
            "retail company",
            "manufacturing company",
            "media startup",
            "government agency",
            "online gaming studio",
            "telecom operator",
        ];
        const GOALS: &[&str] = &[
            "develop machine learning models that predict market trends",
            "detect fraudulent transactions in near real time",
            "forecast weekly demand for thousands of products",
            "classify support tickets written in several languages",
            "score customer churn risk every night",
            "extract fields from scanned insurance claims",
        ];
        const CLAUSES: &[&str] = &[
            "update security groups",
            "update route tables",
            "enable encryption with a customer managed KMS key",
            "attach a least-privilege IAM role",
            "turn on CloudTrail data events",
            "create a Glue Data Catalog table",
            "configure automatic scaling",
            "store features in Feature Store",
        ];
        let (svc, _, _) = self.r.pick(TOPICS);
        let industry = self.r.pick(INDUSTRIES);
        let goal = self.r.pick(GOALS);
        let need = self.r.pick(EN_NOUNS);
        let avoid = self.r.pick(EN_NOUNS);
        let _ = write!(
            out,
            "## 📝 관련 문제\n\n**Question:** {} {industry} is leveraging Amazon {svc} to {goal}. \
             Due to the sensitive nature of their data, the firm's policy requires {need} and forbids {avoid}. \
             They want to keep using {svc} without weakening this policy. \
             What approach should the firm take to meet these requirements with the {} solution?\n\n**Options:**\n\n",
            if industry.starts_with(['a', 'e', 'i', 'o', 'u']) {
                "An"
            } else {
                "A"
            },
            self.r.pick(EN_ADJS)
        );
        let prefix = format!("Configure {svc} inside a private subnet");
        let finals = self.r.distinct(EN_TERMS.len(), 4);
        let mut options: Vec<String> = Vec::with_capacity(4);
        for &f in &finals {
            let c = self.r.distinct(CLAUSES.len(), 2);
            options.push(format!(
                "{prefix}, {}, {}, and access it through {}",
                CLAUSES[c[0]], CLAUSES[c[1]], EN_TERMS[f]
            ));
        }
        for (k, o) in options.iter().enumerate() {
            let _ = writeln!(out, "- {}) {o}", letter(k));
        }
        let answer = self.r.below(4);
        let _ = write!(
            out,
            "\n**정답: {}) {}**\n\n💡 추가 설명:\n\n",
            letter(answer),
            options[answer]
        );
        for (k, &f) in finals.iter().enumerate() {
            if k == answer {
                continue;
            }
            let _ = write!(out, "- **{} ({})** - ", EN_TERMS[f], letter(k));
            self.short_ko(out);
            out.push('\n');
        }
        out.push('\n');
    }
}

fn letter(k: usize) -> char {
    (b'A' + k as u8) as char
}

/// Terminal columns of the ASCII/Hangul labels used in diagrams (Hangul and CJK are 2 wide).
fn display_width(s: &str) -> usize {
    s.chars()
        .map(|c| match c as u32 {
            0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF => 2,
            _ => 1,
        })
        .sum()
}

#[cfg(test)]
mod tests {
    // Benches (harness = false) compile this module in test mode without its `#[test]`s; the
    // tests run through tests/frontmatter_fast_path.rs, which includes the module too.
    #[allow(unused_imports)]
    use super::*;

    #[test]
    fn deterministic_and_seed_sensitive() {
        let a = generate(60, 7);
        let b = generate(60, 7);
        let c = generate(60, 8);
        assert_eq!(a.len(), 60);
        assert!(
            a.iter()
                .zip(&b)
                .all(|(x, y)| x.rel_path == y.rel_path && x.content == y.content)
        );
        assert!(a.iter().zip(&c).any(|(x, y)| x.content != y.content));
    }

    #[test]
    fn titles_and_aliases_match_front_matter() {
        let notes = generate(200, 3);
        let ta = titles_and_aliases(200, 3);
        assert_eq!(ta.len(), 200);
        for (n, (title, aliases)) in notes.iter().zip(&ta) {
            assert!(n.content.contains(&format!("\ntitle: {title}\n")));
            let quoted: Vec<String> = aliases.iter().map(|a| format!("\"{a}\"")).collect();
            assert!(
                n.content
                    .contains(&format!("\naliases: [{}]\n", quoted.join(", ")))
            );
        }
    }

    #[test]
    fn unique_paths_and_titles() {
        let ta = titles_and_aliases(3000, 1);
        let titles: HashSet<&str> = ta.iter().map(|t| t.0.as_str()).collect();
        assert_eq!(titles.len(), 3000);
        let stems: HashSet<String> = (0..3000).map(|i| Meta::new(1, i).stem).collect();
        assert_eq!(stems.len(), 3000);
        assert!(stems.iter().all(|s| {
            s.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        }));
    }

    #[test]
    fn vocabulary_is_about_300_tags() {
        let v = tag_vocab();
        assert!((250..=350).contains(&v.len()), "{}", v.len());
        let set: HashSet<&String> = v.iter().collect();
        assert_eq!(set.len(), v.len());
    }

    #[test]
    fn size_distribution() {
        let notes = generate(1500, 42);
        let mut sizes: Vec<usize> = notes.iter().map(|n| n.content.len()).collect();
        sizes.sort_unstable();
        let median = sizes[sizes.len() / 2];
        let mean = sizes.iter().sum::<usize>() / sizes.len();
        assert!((2_400..=3_600).contains(&median), "median {median}");
        assert!((3_000..=5_000).contains(&mean), "mean {mean}");
        assert!(notes.iter().all(|n| !n.content.contains('\r')));
    }

    #[test]
    fn write_vault_round_trips() {
        let dir = std::env::temp_dir().join(format!("genvault-test-{}", std::process::id()));
        let total = write_vault(&dir, 25, 9).unwrap();
        let expect: u64 = generate(25, 9).iter().map(|n| n.content.len() as u64).sum();
        assert_eq!(total, expect);
        let first = &generate(25, 9)[0];
        assert_eq!(
            fs::read_to_string(dir.join(&first.rel_path)).unwrap(),
            first.content
        );
        fs::remove_dir_all(&dir).unwrap();
    }
}
