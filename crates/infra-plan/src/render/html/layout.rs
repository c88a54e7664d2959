//! Where each node and stack band goes, computed once in Rust so the page only paints.
//!
//! A layered layout: a node's column is its longest dependency depth (dependencies to the
//! left, dependents to the right; a dependency on a nested stack counts as one on each of its
//! resources), and each stack is a horizontal band, so bands never overlap. Within a band's
//! column nodes are ordered by the barycenter of their neighbours, in a few sweeps left to
//! right and back: O(E + N log N) per sweep, deterministic for a given plan.

use std::collections::{BTreeMap, HashMap, VecDeque};

use super::view::{Graph, Source};

/// Node width.
pub(super) const NODE_W: u32 = 200;
/// Node height.
pub(super) const NODE_H: u32 = 40;
/// Space between columns, where the edges run.
const COL_GAP: u32 = 64;
/// Space between the nodes of a column.
const ROW_GAP: u32 = 14;
/// Vertical distance between the tops of two nodes of a column.
const PITCH: u32 = NODE_H + ROW_GAP;
/// A band's label strip above its nodes.
pub(super) const BAND_LABEL: u32 = 26;
/// Padding inside a band, left, right and below its nodes.
pub(super) const BAND_PAD: u32 = 12;
/// Space between bands.
const BAND_GAP: u32 = 12;
/// Space around everything.
pub(super) const MARGIN: u32 = 8;
/// Ordering sweeps (alternately left to right and right to left).
const SWEEPS: usize = 4;

/// A point, top-left of what it places.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Point {
    pub(super) x: u32,
    pub(super) y: u32,
}

/// One stack's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Band {
    pub(super) y: u32,
    pub(super) height: u32,
    /// The right edge of the band's rightmost node: where edges from the stack start.
    pub(super) content_right: u32,
}

/// The placed graph; indices match [`Graph`]'s.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Layout {
    pub(super) width: u32,
    pub(super) height: u32,
    /// Top-left of each node.
    pub(super) nodes: Vec<Point>,
    /// Each stack's band.
    pub(super) bands: Vec<Band>,
    /// Each stack's band, top to bottom.
    pub(super) band_order: Vec<usize>,
}

/// Places `graph`.
pub(super) fn layout(graph: &Graph) -> Layout {
    let layer = layers(graph);
    let n_layers = layer.iter().max().map_or(1, |&max| max + 1);
    let band_order = order_bands(graph, &layer);

    // Columns: the nodes of one stack in one layer, first in plan order.
    let mut columns: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    for (node_idx, node) in graph.nodes.iter().enumerate() {
        columns
            .entry((layer[node_idx], node.stack))
            .or_default()
            .push(node_idx);
    }
    let mut rows = vec![0u32; graph.stacks.len()];
    let mut last_layer = vec![0usize; graph.stacks.len()];
    for (&(layer_idx, stack), column) in &columns {
        rows[stack] = rows[stack].max(count(column.len()));
        last_layer[stack] = last_layer[stack].max(layer_idx);
    }

    let mut bands = vec![
        Band {
            y: 0,
            height: 0,
            content_right: 0,
        };
        graph.stacks.len()
    ];
    let mut y = MARGIN;
    for &stack in &band_order {
        let height = BAND_LABEL + rows[stack] * PITCH - ROW_GAP + BAND_PAD;
        bands[stack] = Band {
            y,
            height,
            content_right: column_x(last_layer[stack]) + NODE_W,
        };
        y += height + BAND_GAP;
    }
    let height = if band_order.is_empty() {
        2 * MARGIN
    } else {
        y - BAND_GAP + MARGIN
    };
    let width = column_x(n_layers) - COL_GAP + BAND_PAD + MARGIN;

    // Centre of each node, for the barycenters.
    let mut centre = vec![0f64; graph.nodes.len()];
    let place = |column: &[usize], stack: usize, centre: &mut [f64]| {
        let first = bands[stack].y + BAND_LABEL + (rows[stack] - count(column.len())) * PITCH / 2;
        for (row, &node_idx) in column.iter().enumerate() {
            centre[node_idx] = f64::from(first + count(row) * PITCH + NODE_H / 2);
        }
    };
    for (&(_, stack), column) in &columns {
        place(column, stack, &mut centre);
    }

    let mut before: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    let mut after: Vec<Vec<usize>> = vec![Vec::new(); graph.nodes.len()];
    for edge in &graph.edges {
        if let Source::Node(from) = edge.from
            && layer[from] < layer[edge.to]
        {
            before[edge.to].push(from);
            after[from].push(edge.to);
        }
    }
    let keys: Vec<(usize, usize)> = columns.keys().copied().collect();
    for sweep in 0..SWEEPS {
        let rightwards = sweep.is_multiple_of(2);
        let (order, neighbours) = if rightwards {
            (keys.clone(), &before)
        } else {
            (keys.iter().rev().copied().collect(), &after)
        };
        for key in order {
            let Some(column) = columns.get_mut(&key) else {
                continue;
            };
            let mut keyed: Vec<(f64, usize)> = column
                .iter()
                .map(|&node_idx| {
                    (
                        barycenter(&neighbours[node_idx], &centre, node_idx),
                        node_idx,
                    )
                })
                .collect();
            keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
            *column = keyed.into_iter().map(|(_, node_idx)| node_idx).collect();
            place(column, key.1, &mut centre);
        }
    }

    let mut nodes = vec![Point { x: 0, y: 0 }; graph.nodes.len()];
    for (&(layer_idx, _), column) in &columns {
        for &node_idx in column {
            nodes[node_idx] = Point {
                x: column_x(layer_idx),
                // Centres are whole numbers plus NODE_H / 2, so this is exact.
                y: centre[node_idx] as u32 - NODE_H / 2,
            };
        }
    }
    Layout {
        width,
        height,
        nodes,
        bands,
        band_order,
    }
}

/// `n` as a coordinate factor (plans hold far fewer than 2^32 resources).
fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX / PITCH)
}

/// The left edge of a layer's nodes.
fn column_x(layer: usize) -> u32 {
    MARGIN + BAND_PAD + count(layer) * (NODE_W + COL_GAP)
}

/// The mean centre of `neighbours`, or the node's own centre when it has none.
fn barycenter(neighbours: &[usize], centre: &[f64], node_idx: usize) -> f64 {
    if neighbours.is_empty() {
        return centre[node_idx];
    }
    neighbours.iter().map(|&n| centre[n]).sum::<f64>() / neighbours.len() as f64
}

/// Bands top to bottom: by the first layer they reach, then their mean layer, then address,
/// so the dependency flow reads from the top left to the bottom right.
fn order_bands(graph: &Graph, layer: &[usize]) -> Vec<usize> {
    let mut first = vec![usize::MAX; graph.stacks.len()];
    let mut sum = vec![0usize; graph.stacks.len()];
    let mut n = vec![0usize; graph.stacks.len()];
    for (node_idx, node) in graph.nodes.iter().enumerate() {
        first[node.stack] = first[node.stack].min(layer[node_idx]);
        sum[node.stack] += layer[node_idx];
        n[node.stack] += 1;
    }
    let mut order: Vec<usize> = (0..graph.stacks.len()).filter(|&s| n[s] > 0).collect();
    // Mean layers compared as fractions: sum_a / n_a < sum_b / n_b.
    order.sort_by(|&a, &b| {
        first[a]
            .cmp(&first[b])
            .then((sum[a] * n[b]).cmp(&(sum[b] * n[a])))
            .then(graph.stacks[a].cmp(&graph.stacks[b]))
    });
    order
}

/// Each node's layer: 0 without dependencies, else one more than its deepest dependency. A
/// dependency on a stack is one on every resource of it (and of the stacks nested in it).
/// Nodes caught in a cycle (a hand-edited plan) are placed after what they could be placed
/// after, in plan order.
pub(super) fn layers(graph: &Graph) -> Vec<usize> {
    let n_nodes = graph.nodes.len();
    // Vertices: the nodes, then one per stack that something depends on.
    let n_vertices = n_nodes + graph.stacks.len();
    let mut out: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n_vertices];
    let mut indegree = vec![0usize; n_vertices];
    let mut referenced: HashMap<&str, usize> = HashMap::new();
    for edge in &graph.edges {
        let from = match edge.from {
            Source::Node(from) => from,
            Source::Stack(stack) => {
                referenced.insert(graph.stacks[stack].as_str(), stack);
                n_nodes + stack
            }
        };
        out[from].push((edge.to, 1));
        indegree[edge.to] += 1;
    }
    if !referenced.is_empty() {
        for (node_idx, node) in graph.nodes.iter().enumerate() {
            let mut stack = graph.stacks[node.stack].as_str();
            while !stack.is_empty() {
                if let Some(&referenced_stack) = referenced.get(stack) {
                    out[node_idx].push((n_nodes + referenced_stack, 0));
                    indegree[n_nodes + referenced_stack] += 1;
                }
                stack = stack.rsplit_once('.').map_or("", |(parent, _)| parent);
            }
        }
    }

    let mut layer = vec![0usize; n_vertices];
    let mut done = vec![false; n_vertices];
    let mut ready: VecDeque<usize> = (0..n_vertices).filter(|&v| indegree[v] == 0).collect();
    let mut next_forced = 0;
    loop {
        while let Some(v) = ready.pop_front() {
            if done[v] {
                continue;
            }
            done[v] = true;
            for &(to, weight) in &out[v] {
                if done[to] {
                    continue;
                }
                layer[to] = layer[to].max(layer[v] + weight);
                indegree[to] = indegree[to].saturating_sub(1);
                if indegree[to] == 0 {
                    ready.push_back(to);
                }
            }
        }
        while next_forced < n_vertices && done[next_forced] {
            next_forced += 1;
        }
        if next_forced == n_vertices {
            break;
        }
        ready.push_back(next_forced);
    }
    layer.truncate(n_nodes);
    layer
}
