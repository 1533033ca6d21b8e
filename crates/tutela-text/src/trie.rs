//! A byte trie of terms over normalised text, walked from word starts: the concept lexicons
//! ([`crate::concepts`]) and the conversation cue phrases both match this way. Terms only count
//! at word starts, so a walk begins at a token start and stops at the first byte no term
//! continues with: a few steps per word. (An Aho-Corasick scan finds every term anywhere,
//! including the many short ones inside other words, and then throws most away; it cost more
//! than the model itself. Searching each phrase with `str::match_indices` cost the conversation
//! tracker 88% of its time.)

/// Terms as a flat trie: each term has an id (several terms may share one) and may have to end a
/// word.
pub(crate) struct TermTrie {
    nodes: Vec<Node>,
    /// Child edges of nodes with at most [`SCAN_EDGES`] children: (byte, child node).
    edges: Vec<(u8, u32)>,
    /// Children of the few nodes with more (the root, common first letters) by byte; 0 is none
    /// (the root is nobody's child). Every walk starts in these nodes: a direct index instead of
    /// a search (about 2% of classify's time).
    dense: Vec<[u32; 256]>,
    /// Terms ending at a node: (id, whether the term must end a word).
    outputs: Vec<(u16, bool)>,
}

/// Nodes with more children than this index them densely.
const SCAN_EDGES: u32 = 8;

#[derive(Clone, Copy, Default)]
struct Node {
    /// Into `edges`, or into `dense` when `edges_len > SCAN_EDGES`.
    edges_start: u32,
    edges_len: u32,
    outputs_start: u32,
    outputs_len: u32,
}

impl TermTrie {
    /// Builds the trie from (normalised term, id, whole-word) triples.
    pub(crate) fn build(terms: &[(String, u16, bool)]) -> TermTrie {
        // A plain pointer trie first, flattened after.
        let mut children: Vec<std::collections::BTreeMap<u8, u32>> = vec![Default::default()];
        let mut ends: Vec<Vec<(u16, bool)>> = vec![Vec::new()];
        for (term, id, whole) in terms {
            let mut node = 0usize;
            for &b in term.as_bytes() {
                let next = children.len() as u32;
                let child = *children[node].entry(b).or_insert(next);
                if child == next {
                    children.push(Default::default());
                    ends.push(Vec::new());
                }
                node = child as usize;
            }
            if !ends[node].contains(&(*id, *whole)) {
                ends[node].push((*id, *whole));
            }
        }
        let mut nodes = Vec::with_capacity(children.len());
        let mut edges = Vec::new();
        let mut dense: Vec<[u32; 256]> = Vec::new();
        let mut outputs = Vec::new();
        for (kids, out) in children.iter().zip(&ends) {
            let edges_len = kids.len() as u32;
            let edges_start = if edges_len <= SCAN_EDGES {
                edges.extend(kids.iter().map(|(&b, &n)| (b, n)));
                edges.len() as u32 - edges_len
            } else {
                let mut row = [0u32; 256];
                for (&b, &n) in kids {
                    row[b as usize] = n;
                }
                dense.push(row);
                dense.len() as u32 - 1
            };
            nodes.push(Node {
                edges_start,
                edges_len,
                outputs_start: outputs.len() as u32,
                outputs_len: out.len() as u32,
            });
            outputs.extend_from_slice(out);
        }
        TermTrie {
            nodes,
            edges,
            dense,
            outputs,
        }
    }

    /// How many (term end, id) outputs the trie holds.
    #[cfg(test)]
    pub(crate) fn outputs(&self) -> usize {
        self.outputs.len()
    }

    #[inline]
    fn child(&self, node: &Node, byte: u8) -> Option<u32> {
        if node.edges_len <= SCAN_EDGES {
            let edges = &self.edges[node.edges_start as usize..][..node.edges_len as usize];
            edges.iter().find(|e| e.0 == byte).map(|e| e.1)
        } else {
            let child = self.dense[node.edges_start as usize][byte as usize];
            (child != 0).then_some(child)
        }
    }

    /// Walks from byte `at` of the normalised text `s` (words separated by single spaces) and
    /// calls `hit` with the id of every term that starts there (a whole-word term only where a
    /// word ends).
    #[inline]
    pub(crate) fn walk(&self, s: &[u8], mut at: usize, mut hit: impl FnMut(u16)) {
        let mut node = self.nodes[0];
        while at < s.len() {
            let Some(next) = self.child(&node, s[at]) else {
                break;
            };
            node = self.nodes[next as usize];
            at += 1;
            if node.outputs_len == 0 {
                continue;
            }
            let ends_word = at == s.len() || s[at] == b' ';
            let outputs = &self.outputs[node.outputs_start as usize..][..node.outputs_len as usize];
            for &(id, whole) in outputs {
                if !whole || ends_word {
                    hit(id);
                }
            }
        }
    }
}
