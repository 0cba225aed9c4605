//! The word table's map from a short token text, packed into one machine word, to its entry:
//! open addressing with linear probing over one array of key-and-entry slots, so that a lookup
//! reads one slot (one cache line, mostly) where a general hash map reads a control byte group
//! first and the slot after it. Survey vocabularies are large enough that the slots do not stay
//! in the fastest cache, which makes that second read the most expensive step of analysis.

/// Key 0 marks an empty slot: no token text packs to it (a token is never empty and never
/// holds a NUL byte).
const EMPTY: u64 = 0;

pub(super) struct WordKeys<V: Copy> {
    slots: Vec<(u64, V)>,
    len: usize,
}

impl<V: Copy + Default> WordKeys<V> {
    pub fn new() -> Self {
        WordKeys {
            slots: vec![(EMPTY, V::default()); 1024],
            len: 0,
        }
    }

    /// The slot where `key` starts its probe: the high bits of a multiplicative hash, which mix
    /// all bytes of the key (the low bytes alone would group words by their first letters).
    #[inline(always)]
    fn home(&self, key: u64) -> usize {
        let mask = self.slots.len() - 1;
        (key.wrapping_mul(0x9E37_79B9_7F4A_7C15).rotate_left(26) as usize) & mask
    }

    #[inline(always)]
    pub fn get(&self, key: u64) -> Option<V> {
        debug_assert_ne!(key, EMPTY);
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        loop {
            let (slot_key, value) = self.slots[at];
            if slot_key == key {
                return Some(value);
            }
            if slot_key == EMPTY {
                return None;
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds `key`, which is not in the map yet.
    pub fn insert(&mut self, key: u64, value: V) {
        debug_assert_ne!(key, EMPTY);
        // At most three quarters full: probes stay short (a hit takes 2.5 slots on average,
        // mostly of one cache line) and the slots no more than a general map's.
        if 4 * (self.len + 1) > 3 * self.slots.len() {
            let grown = vec![(EMPTY, V::default()); 2 * self.slots.len()];
            let old = std::mem::replace(&mut self.slots, grown);
            for (slot_key, slot_value) in old {
                if slot_key != EMPTY {
                    self.put(slot_key, slot_value);
                }
            }
        }
        self.put(key, value);
        self.len += 1;
    }

    fn put(&mut self, key: u64, value: V) {
        let mask = self.slots.len() - 1;
        let mut at = self.home(key);
        while self.slots[at].0 != EMPTY {
            at = (at + 1) & mask;
        }
        self.slots[at] = (key, value);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_every_key_through_growth_and_collisions() {
        let mut keys = WordKeys::<u32>::new();
        // Keys that differ only in high bytes, and consecutive ones.
        let all: Vec<u64> = (1..5000u64)
            .map(|k| if k % 2 == 0 { k << 40 } else { k })
            .collect();
        for (value, &key) in all.iter().enumerate() {
            assert_eq!(keys.get(key), None);
            keys.insert(key, value as u32);
        }
        for (value, &key) in all.iter().enumerate() {
            assert_eq!(keys.get(key), Some(value as u32));
        }
        assert_eq!(keys.get(5001), None);
        assert_eq!(keys.get(u64::MAX), None);
    }
}
