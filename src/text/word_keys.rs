//! The word table's maps from a short token text, packed into one or two machine words, to its
//! entry: open addressing with linear probing over one array of key-and-entry slots, so that a
//! lookup reads one slot (one cache line, mostly) where a general hash map reads a control byte
//! group first and the slot after it. Survey vocabularies are large enough that the slots do
//! not stay in the fastest cache, which makes that second read the most expensive step of
//! analysis.

/// A packed token text. [`Key::EMPTY`] marks an empty slot: no token text packs to it (a token
/// is never empty and never holds a NUL byte).
pub(super) trait Key: Copy + Eq {
    const EMPTY: Self;
    /// Mixes every byte of the key into the high bits.
    fn mix(self) -> u64;
}

impl Key for u64 {
    const EMPTY: u64 = 0;

    #[inline(always)]
    fn mix(self) -> u64 {
        self.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }
}

impl Key for (u64, u64) {
    const EMPTY: (u64, u64) = (0, 0);

    #[inline(always)]
    fn mix(self) -> u64 {
        (self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ self.1).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
    }
}

pub(super) struct WordKeys<K: Key, V: Copy> {
    slots: Vec<(K, V)>,
    len: usize,
}

impl<K: Key, V: Copy + Default> WordKeys<K, V> {
    pub fn new() -> Self {
        WordKeys {
            slots: vec![(K::EMPTY, V::default()); 1024],
            len: 0,
        }
    }

    /// The slot where `key` starts its probe: the high bits of a multiplicative hash, which mix
    /// all bytes of the key (the low bytes alone would group words by their first letters).
    #[inline(always)]
    fn home(&self, key: K) -> usize {
        let mask = self.slots.len() - 1;
        (key.mix().rotate_left(26) as usize) & mask
    }

    #[inline(always)]
    pub fn get(&self, key: K) -> Option<V> {
        debug_assert!(key != K::EMPTY);
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let (slot_key, value) = self.slots[at];
            if slot_key == key {
                return Some(value);
            }
            if slot_key == K::EMPTY {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds `key`, which is not in the map yet.
    pub fn insert(&mut self, key: K, value: V) {
        debug_assert!(key != K::EMPTY);
        // At most three quarters full: probes stay short (a hit takes 2.5 slots on average,
        // mostly of one cache line) and the slots no more than a general map's.
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            let grown = vec![(K::EMPTY, V::default()); 2 * self.slots.len()];
            let old = std::mem::replace(&mut self.slots, grown);
            for (slot_key, slot_value) in old {
                if slot_key != K::EMPTY {
                    self.put(slot_key, slot_value);
                }
            }
        }
        self.put(key, value);
        self.len += 1;
    }

    fn put(&mut self, key: K, value: V) {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        while self.slots[at].0 != K::EMPTY {
            at = (at + 1) & mask;
        }
        self.slots[at] = (key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Inserts `all` (distinct keys) one by one, each absent before, then finds every one with
    /// its value, and none of `absent`.
    fn finds_every_key<K: Key + std::fmt::Debug>(all: &[K], absent: &[K]) {
        let mut keys = WordKeys::<K, u32>::new();
        for (value, &key) in all.iter().enumerate() {
            assert_eq!(keys.get(key), None, "{key:?}");
            keys.insert(key, value as u32);
        }
        for (value, &key) in all.iter().enumerate() {
            assert_eq!(keys.get(key), Some(value as u32), "{key:?}");
        }
        for &key in absent {
            assert_eq!(keys.get(key), None, "{key:?}");
        }
    }

    #[test]
    fn finds_every_key_through_growth_and_collisions() {
        // Keys that differ only in high bytes, and consecutive ones.
        let all: Vec<u64> = (1..5000u64)
            .map(|k| if k % 2 == 0 { k << 40 } else { k })
            .collect();
        finds_every_key(&all, &[5001, u64::MAX]);
    }

    #[test]
    fn finds_every_pair_key_through_growth() {
        // Pairs that share a first word, and pairs that differ in their first word alone.
        let all: Vec<(u64, u64)> = (1..3000u64)
            .map(|k| if k % 2 == 0 { (7, k) } else { (k, 7) })
            .collect();
        finds_every_key(&all, &[(8, 8)]);
    }
}
