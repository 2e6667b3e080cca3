//! Putting things of the back office in the order guests and waiters see them: a list is
//! reordered by dragging (a mouse) or by its move buttons (a touch screen), and only the
//! items whose place changed are saved.

/// The list `places` (each item's id and `sort_order`, in the order shown) with the item
/// at `from` moved to `to`: the id and new place of every item whose place changes. The
/// places become 0, 1, 2… so that older, uneven ones settle too.
pub(crate) fn moved<T: Copy>(places: &[(T, i64)], from: usize, to: usize) -> Vec<(T, i64)> {
    if from >= places.len() || to >= places.len() || from == to {
        return Vec::new();
    }
    let mut list = places.to_vec();
    let item = list.remove(from);
    list.insert(to, item);
    list.into_iter()
        .enumerate()
        .filter_map(|(i, (id, place))| (place != i as i64).then_some((id, i as i64)))
        .collect()
}

/// Saves the places `moved` gave, one change at a time (`path` names the item, `change`
/// its body), then tells `done` what happened: `saved`, or why not. Either way the list is
/// read again, so what the manager sees is what was saved.
pub(crate) fn save_places<T, B>(
    changes: Vec<(T, i64)>,
    path: impl Fn(&T) -> String + 'static,
    change: impl Fn(i64) -> B + 'static,
    saved: String,
    done: leptos::prelude::Callback<String>,
) where
    T: 'static,
    B: serde::Serialize + 'static,
{
    use leptos::prelude::Callable;
    if changes.is_empty() {
        return;
    }
    leptos::task::spawn_local(async move {
        for (id, place) in changes {
            let (path, body) = (path(&id), change(place));
            let answer = crate::client::patch::<_, serde_json::Value>(&path, &body).await;
            if let Err(e) = answer {
                return done.run(format!("Not moved: {}", e.message()));
            }
        }
        done.run(saved);
    })
}

#[cfg(test)]
mod tests {
    use super::moved;

    #[test]
    fn only_the_items_whose_place_changes_are_saved() {
        let list = [('a', 0), ('b', 1), ('c', 2), ('d', 3)];
        assert_eq!(moved(&list, 3, 1), [('d', 1), ('b', 2), ('c', 3)]);
        assert_eq!(moved(&list, 0, 1), [('b', 0), ('a', 1)]);
        assert_eq!(moved(&list, 1, 1), []);
        assert_eq!(moved(&list, 4, 0), []);
        // Uneven places from before settle as 0, 1, 2.
        assert_eq!(moved(&[('a', 5), ('b', 5)], 1, 0), [('b', 0), ('a', 1)]);
    }
}
