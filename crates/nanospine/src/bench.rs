//! Performance benchmarks (wall clock, `std::time::Instant`; never CPU time).
//!
//! [`run_transport`] times one [`LodSolver`] step on Cartesian 3-D grids and measures the memory
//! bandwidth of the same machine, with the same thread count, using a STREAM-style copy and triad.
//! The bandwidth floor of a case is the minimum main-memory traffic of a three-sweep LOD step divided
//! by that bandwidth; `BENCHMARKS.md` explains the byte count.

use std::time::Instant;

use rayon::prelude::*;
use serde::Serialize;

use crate::error::{Error, Result};
use crate::grid::{Grid, GridKind, Label, AF, CEP, NP, VOID};
use crate::transport::lod::LodSolver;
use crate::transport::operator::SoluteTransport;

/// Options of the transport benchmark.
#[derive(Debug, Clone, Copy, Default)]
pub struct TransportBenchOptions {
    /// Small grids and arrays for a fast smoke run (seconds instead of about a minute).
    pub quick: bool,
    /// Rayon thread count; `None` uses the global pool (default: one thread per CPU).
    pub threads: Option<usize>,
}

/// Timing of one benchmark case.
#[derive(Debug, Clone, Serialize)]
pub struct TransportCase {
    /// Grid size, e.g. `"200^3"` (cells).
    pub grid: String,
    /// Number of solute fields stepped together.
    pub solutes: usize,
    /// `"uniform"` (one tissue label) or `"tissue"` (NP core, AF ring, CEP slabs, void corners).
    pub diffusivity: String,
    /// Median wall time per voxel per solute per step (ns).
    pub ns_per_voxel_solute_step: f64,
    /// Median wall time of one step for all solutes (ms).
    pub ms_per_step: f64,
    /// Bandwidth floor: `bytes_per_voxel_solute / bandwidth_gb_s` (ns per voxel per solute).
    pub floor_ns: f64,
    /// `ns_per_voxel_solute_step / floor_ns` (1 = at the floor; below 1 is possible because the
    /// kernel fuses the x and y sweeps, see `BENCHMARKS.md`).
    pub floor_ratio: f64,
    /// Main-memory bytes per voxel per solute of a three-sweep step (B): 3 x (8 read + 8 write),
    /// plus 3 label bytes shared by all solutes in the tissue case.
    pub bytes_per_voxel_solute: f64,
    /// Memory held per voxel per solute (B): 8 B field, plus labels and solver scratch divided by
    /// voxels x solutes.
    pub memory_bytes_per_voxel_solute: f64,
    /// Fastest repetition (ms); text output only.
    #[serde(skip)]
    pub ms_best: f64,
    /// Number of timed repetitions; text output only.
    #[serde(skip)]
    pub reps: usize,
}

/// Result of [`run_transport`].
#[derive(Debug, Clone, Serialize)]
pub struct TransportBench {
    /// Memory bandwidth used for the floor: the better of STREAM copy and triad (GB/s, 1e9 B/s).
    pub bandwidth_gb_s: f64,
    /// Rayon threads used for the bandwidth test and the solver.
    pub threads: usize,
    /// One entry per case.
    pub results: Vec<TransportCase>,
    /// Best STREAM copy rate, 16 B per element counted (GB/s); text output only.
    #[serde(skip)]
    pub copy_gb_s: f64,
    /// Best STREAM triad rate, 24 B per element counted (GB/s); text output only.
    #[serde(skip)]
    pub triad_gb_s: f64,
    /// Size of each of the three STREAM arrays (MB, 1e6 B); text output only.
    #[serde(skip)]
    pub stream_array_mb: f64,
}

impl TransportBench {
    /// Human-readable table of the results.
    pub fn table(&self) -> String {
        let mut s = format!(
            "threads: {}   bandwidth: {:.1} GB/s (STREAM copy {:.1}, triad {:.1}; 3 arrays of {:.0} MB)\n",
            self.threads, self.bandwidth_gb_s, self.copy_gb_s, self.triad_gb_s, self.stream_array_mb
        );
        s.push_str(&format!(
            "{:<7} {:>3} {:<8} {:>10} {:>9} {:>9} {:>8} {:>7} {:>9} {:>7}\n",
            "grid",
            "S",
            "D",
            "ms/step",
            "best ms",
            "ns/vox/s",
            "floor",
            "ratio",
            "B floor",
            "B held"
        ));
        for r in &self.results {
            s.push_str(&format!(
                "{:<7} {:>3} {:<8} {:>10.2} {:>9.2} {:>9.3} {:>8.3} {:>7.2} {:>9.2} {:>7.2}\n",
                r.grid,
                r.solutes,
                r.diffusivity,
                r.ms_per_step,
                r.ms_best,
                r.ns_per_voxel_solute_step,
                r.floor_ns,
                r.floor_ratio,
                r.bytes_per_voxel_solute,
                r.memory_bytes_per_voxel_solute
            ));
        }
        s
    }
}

/// STREAM-style bandwidth of this machine with the current rayon pool.
#[derive(Debug, Clone, Copy)]
pub struct Bandwidth {
    /// Best copy rate `c = a`, counting 16 B per element (GB/s).
    pub copy_gb_s: f64,
    /// Best triad rate `a = b + q*c`, counting 24 B per element (GB/s).
    pub triad_gb_s: f64,
}

/// Elements per parallel work item of the STREAM loops (512 KiB of f64).
const STREAM_CHUNK: usize = 1 << 16;

/// Measures copy and triad bandwidth over three arrays of `array_bytes` bytes each, best of `reps`.
/// Like STREAM, write-allocate traffic is not counted.
pub fn measure_bandwidth(array_bytes: usize, reps: usize) -> Bandwidth {
    let n = (array_bytes / 8).max(STREAM_CHUNK);
    let mut a = vec![0.0f64; n];
    let mut b = vec![0.0f64; n];
    let mut c = vec![0.0f64; n];
    // first touch in parallel
    for (v, x) in [(&mut a, 1.0), (&mut b, 2.0), (&mut c, 0.5)] {
        v.par_chunks_mut(STREAM_CHUNK).for_each(|ch| ch.fill(x));
    }
    let q = 3.0;
    let mut best_copy = f64::INFINITY;
    let mut best_triad = f64::INFINITY;
    for _ in 0..reps.max(1) {
        let t = Instant::now();
        c.par_chunks_mut(STREAM_CHUNK)
            .zip(a.par_chunks(STREAM_CHUNK))
            .for_each(|(c, a)| c.copy_from_slice(a));
        best_copy = best_copy.min(t.elapsed().as_secs_f64());
        let t = Instant::now();
        a.par_chunks_mut(STREAM_CHUNK)
            .zip(b.par_chunks(STREAM_CHUNK))
            .zip(c.par_chunks(STREAM_CHUNK))
            .for_each(|((a, b), c)| {
                for ((x, &y), &z) in a.iter_mut().zip(b).zip(c) {
                    *x = y + q * z;
                }
            });
        best_triad = best_triad.min(t.elapsed().as_secs_f64());
    }
    // keep the results observable so the loops cannot be removed
    std::hint::black_box((&a, &b, &c));
    Bandwidth {
        copy_gb_s: 16.0 * n as f64 / best_copy / 1e9,
        triad_gb_s: 24.0 * n as f64 / best_triad / 1e9,
    }
}

/// Benchmark solutes: (name, unit, D in NP / AF / CEP (mm^2/s), reservoir value).
///
/// Diffusivities are the Mackie-Meares effective values of ivd-transport.md section 1.3
/// (water diffusivities from the abaqusIVD PROPS files times (phi/(2-phi))^2 with NP/AF/CEP porosity
/// 0.80/0.75/0.66). The fourth solute is `assumption: benchmark-only tracer at half the glucose
/// diffusivities`; reservoir values only need to be finite (timing does not depend on them).
const SOLUTES: [(&str, &str, [f64; 3], f64); 4] = [
    ("oxygen", "kPa", [1.33e-3, 1.08e-3, 0.73e-3], 5.8),
    ("glucose", "mM", [4.1e-4, 3.3e-4, 2.2e-4], 4.0),
    ("lactate", "mM", [6.2e-4, 5.0e-4, 3.4e-4], 0.8),
    ("tracer", "mM", [2.05e-4, 1.65e-4, 1.1e-4], 1.0),
];

/// Side of the benchmark cube (mm). `assumption: benchmark geometry, about one disc height`.
const SIDE_MM: f64 = 10.0;

/// Builds the benchmark grid: `n^3` cells over a 10 mm cube, either all NP (`tissue = false`) or a
/// disc-like pattern: CEP slabs (bottom and top 10 % of z) over the inscribed cylinder, an NP core
/// (radius 0.3 x side) and an AF ring (to radius 0.5 x side) between them, void in the corners.
pub fn bench_grid(n: usize, tissue: bool) -> Grid {
    let h = SIDE_MM / n as f64;
    let mut g = Grid::new(GridKind::Cartesian3d, [n; 3], [h; 3], [0.0; 3], NP);
    if tissue {
        let c = 0.5 * SIDE_MM;
        for idx in 0..g.len() {
            let [i, j, k] = g.ijk(idx);
            let (x, y, z) = (g.centre(0, i) - c, g.centre(1, j) - c, g.centre(2, k));
            let r = (x * x + y * y).sqrt() / SIDE_MM;
            let l: Label = if r >= 0.5 {
                VOID
            } else if !(0.1 * SIDE_MM..=0.9 * SIDE_MM).contains(&z) {
                CEP
            } else if r < 0.3 {
                NP
            } else {
                AF
            };
            g.labels[idx] = l;
        }
    }
    g
}

/// Benchmark solute `i` (0..4) on `grid`: Dirichlet faces on every axis for NP (uniform case, the
/// box edge) and for CEP (tissue case); Robin faces (`assumption: EA 1, k 1e-3 mm/s`) for AF.
fn bench_solute(grid: &Grid, i: usize) -> SoluteTransport {
    let (name, unit, d, value) = SOLUTES[i % SOLUTES.len()];
    let mut s = SoluteTransport::uniform(name, unit, d[0]);
    s.d_by_label[AF as usize] = d[1];
    s.d_by_label[CEP as usize] = d[2];
    for axis in 0..3 {
        let h = grid.h[axis];
        s.set_boundary(NP, axis, h, 1.0, f64::INFINITY, value);
        s.set_boundary(CEP, axis, h, 1.0, f64::INFINITY, value);
        s.set_boundary(AF, axis, h, 1.0, 1e-3, value);
    }
    s
}

/// Median of a non-empty slice.
fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        0.5 * (v[m - 1] + v[m])
    }
}

/// Times one case: `warmup` untimed steps, then the median of `reps` timed steps.
fn time_case(
    n: usize,
    ns: usize,
    tissue: bool,
    warmup: usize,
    reps: usize,
    bandwidth: f64,
) -> TransportCase {
    let grid = bench_grid(n, tissue);
    let solutes: Vec<SoluteTransport> = (0..ns).map(|i| bench_solute(&grid, i)).collect();
    let mut fields: Vec<Vec<f64>> = solutes
        .iter()
        .map(|s| {
            let v0 = s.bc[NP as usize][0].value;
            let mut f = vec![0.0; grid.len()];
            f.par_chunks_mut(n * n)
                .enumerate()
                .for_each(|(k, pl)| pl.fill(v0 * (0.5 + 0.5 * k as f64 / n as f64)));
            f
        })
        .collect();
    let mut solver = LodSolver::new(&grid);
    let dt = 60.0; // s; timing does not depend on it
    for _ in 0..warmup {
        solver.step(&grid, &solutes, &mut fields, dt);
    }
    let mut times: Vec<f64> = (0..reps.max(1))
        .map(|_| {
            let t = Instant::now();
            solver.step(&grid, &solutes, &mut fields, dt);
            t.elapsed().as_secs_f64()
        })
        .collect();
    std::hint::black_box(&fields);
    let best = times.iter().copied().fold(f64::INFINITY, f64::min);
    let med = median(&mut times);
    let voxels = grid.len() as f64;
    let vs = voxels * ns as f64;
    let ns_vs = med * 1e9 / vs;
    let bytes = 48.0 + if tissue { 3.0 / ns as f64 } else { 0.0 };
    let floor_ns = bytes / bandwidth;
    let held = 8.0 * vs + voxels + solver.scratch_bytes() as f64;
    TransportCase {
        grid: format!("{n}^3"),
        solutes: ns,
        diffusivity: if tissue { "tissue" } else { "uniform" }.to_string(),
        ns_per_voxel_solute_step: ns_vs,
        ms_per_step: med * 1e3,
        floor_ns,
        floor_ratio: ns_vs / floor_ns,
        bytes_per_voxel_solute: bytes,
        memory_bytes_per_voxel_solute: held / vs,
        ms_best: best * 1e3,
        reps: reps.max(1),
    }
}

fn run_in_pool(
    opts: &TransportBenchOptions,
    progress: &mut (dyn FnMut(&str) + Send),
) -> TransportBench {
    let threads = rayon::current_num_threads();
    let (sizes, array_mb, stream_reps): (&[usize], usize, usize) = if opts.quick {
        (&[40, 64], 64, 3)
    } else {
        (&[100, 200], 400, 8)
    };
    progress(&format!(
        "bandwidth: STREAM copy/triad, 3 x {array_mb} MB, {threads} threads"
    ));
    let bw = measure_bandwidth(array_mb * 1_000_000, stream_reps);
    let bandwidth = bw.copy_gb_s.max(bw.triad_gb_s);
    progress(&format!(
        "bandwidth: copy {:.1} GB/s, triad {:.1} GB/s",
        bw.copy_gb_s, bw.triad_gb_s
    ));
    let mut results = Vec::new();
    for &n in sizes {
        for ns in [1, 4] {
            for tissue in [false, true] {
                let (warmup, reps) = match (opts.quick, n >= 200) {
                    (true, _) => (1, 3),
                    (false, false) => (3, 11),
                    (false, true) => (2, 7),
                };
                let r = time_case(n, ns, tissue, warmup, reps, bandwidth);
                progress(&format!(
                    "{} S={} {}: {:.2} ms/step (best {:.2}), {:.3} ns/voxel/solute, floor {:.3} ns, ratio {:.2}",
                    r.grid, r.solutes, r.diffusivity, r.ms_per_step, r.ms_best, r.ns_per_voxel_solute_step, r.floor_ns, r.floor_ratio
                ));
                results.push(r);
            }
        }
    }
    TransportBench {
        bandwidth_gb_s: bandwidth,
        threads,
        results,
        copy_gb_s: bw.copy_gb_s,
        triad_gb_s: bw.triad_gb_s,
        stream_array_mb: array_mb as f64,
    }
}

/// Runs the transport benchmark: STREAM bandwidth, then one LOD step timed on 100^3 and 200^3
/// (quick: 40^3 and 64^3) grids with 1 and 4 solutes, uniform and tissue diffusivity. `progress`
/// receives one line per stage.
pub fn run_transport(
    opts: &TransportBenchOptions,
    progress: &mut (dyn FnMut(&str) + Send),
) -> Result<TransportBench> {
    match opts.threads {
        None => Ok(run_in_pool(opts, progress)),
        Some(t) => {
            if t == 0 {
                return Err(Error::Config(
                    "bench threads = 0; allowed: 1 or more".to_string(),
                ));
            }
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(t)
                .build()
                .map_err(|e| {
                    Error::Config(format!("cannot build a rayon pool of {t} threads: {e}"))
                })?;
            Ok(pool.install(|| run_in_pool(opts, progress)))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tissue_grid_has_all_labels_and_void_corners() {
        let g = bench_grid(20, true);
        let count = |l: Label| g.labels.iter().filter(|&&x| x == l).count();
        // inscribed cylinder: pi/4 of the box is tissue
        let tissue = (g.len() - count(VOID)) as f64 / g.len() as f64;
        assert!(
            (tissue - std::f64::consts::FRAC_PI_4).abs() < 0.05,
            "{tissue}"
        );
        assert!(count(NP) > 0 && count(AF) > 0 && count(CEP) > 0);
        assert_eq!(g.labels[g.idx(0, 0, 10)], VOID);
        assert_eq!(g.labels[g.idx(10, 10, 10)], NP);
        assert_eq!(g.labels[g.idx(10, 10, 0)], CEP);
        assert!(bench_grid(8, false).labels.iter().all(|&l| l == NP));
    }

    #[test]
    fn median_of_odd_and_even() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), 2.5);
    }

    #[test]
    fn quick_case_reports_consistent_numbers() {
        let r = time_case(12, 2, true, 1, 3, 20.0);
        assert_eq!(r.grid, "12^3");
        assert!((r.bytes_per_voxel_solute - 49.5).abs() < 1e-12);
        assert!((r.floor_ns - 49.5 / 20.0).abs() < 1e-12);
        assert!((r.floor_ratio * r.floor_ns - r.ns_per_voxel_solute_step).abs() < 1e-9);
        assert!(
            (r.ms_per_step * 1e6 / (12.0f64.powi(3) * 2.0) - r.ns_per_voxel_solute_step).abs()
                < 1e-6
        );
        // 8 B field + 1 B label / 2 solutes + scratch
        assert!(r.memory_bytes_per_voxel_solute > 8.5);
        let json = serde_json::to_value(&r).unwrap();
        let keys: Vec<&str> = json
            .as_object()
            .unwrap()
            .keys()
            .map(|s| s.as_str())
            .collect();
        assert_eq!(keys.len(), 9, "{keys:?}");
    }
}

/// Wall time of whole study runs ([`run_study_bench`]).
#[derive(Debug, Clone, serde::Serialize)]
pub struct StudyBench {
    /// Arms run (in parallel).
    pub arms: usize,
    /// Simulated time (d).
    pub simulated_days: f64,
    /// Rayon threads.
    pub threads: usize,
    /// Wall time of each repeat (s).
    pub wall_s: Vec<f64>,
    /// Median wall time (s).
    pub median_s: f64,
    /// Biology integrator steps (summed over arms, voxels and sub-steps) of the last repeat.
    pub integrator_steps: usize,
}

impl StudyBench {
    /// One-line summary.
    pub fn table(&self) -> String {
        let (lo, hi) = self
            .wall_s
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                (a.min(x), b.max(x))
            });
        format!(
            "{} arms x {:.0} d on {} threads: median {:.2} s (range {:.2}-{:.2} s, {} repeats), {} biology integrator steps",
            self.arms,
            self.simulated_days,
            self.threads,
            self.median_s,
            lo,
            hi,
            self.wall_s.len(),
            self.integrator_steps
        )
    }
}

/// Runs `scenario` (disc or cord) `repeats` times (all arms in parallel, no output written) and
/// reports the wall times.
pub fn run_study_bench(
    scenario: &crate::scenario::Scenario,
    registry: &crate::params::Registry,
    repeats: usize,
) -> std::result::Result<StudyBench, crate::Error> {
    let mut wall = vec![];
    let mut steps = 0;
    for _ in 0..repeats.max(1) {
        let t0 = std::time::Instant::now();
        steps = match scenario.tissue {
            crate::scenario::Tissue::Disc => {
                let out = crate::sim::run(scenario, registry, &|_, _| {})?;
                out.arms
                    .iter()
                    .filter_map(|a| a.disease.as_ref().map(|d| d.integrator.steps))
                    .sum()
            }
            crate::scenario::Tissue::Cord => {
                let out = crate::sim::cord::run_cord(scenario, registry, &|_, _| {})?;
                out.arms.iter().map(|a| a.integrator.total.steps).sum()
            }
        };
        wall.push(t0.elapsed().as_secs_f64());
    }
    let mut sorted = wall.clone();
    sorted.sort_by(|a, b| a.total_cmp(b));
    Ok(StudyBench {
        arms: scenario.arms.len(),
        simulated_days: scenario.solver.end_time_s / 86400.0,
        threads: rayon::current_num_threads(),
        median_s: sorted[sorted.len() / 2],
        wall_s: wall,
        integrator_steps: steps,
    })
}
