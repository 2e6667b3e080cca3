//! Courses: drinks (0) go at once; starters (1), mains (2), desserts (3) and numbered
//! courses up to 9 may be held. A send may hold the courses after one (`send_order` with
//! `up_to_course`): they wait, and lines added to them later wait too, until the course is
//! fired (`fire_course`), which sends it and every course before it. The phone and the
//! server decide with the same functions here, and `Order::fire` in `status`.

use super::orders::{LineStatus, Order, OrderLine, MAX_COURSE};

/// The course that never waits.
pub const DRINKS: i64 = 0;

/// The course of a line when nothing says otherwise: starters.
pub(crate) fn first() -> i64 {
    1
}

/// How a course is called on the phone, the ticket and the station screen.
pub fn name(course: i64) -> String {
    match course {
        DRINKS => "Drinks".to_owned(),
        1 => "Starters".to_owned(),
        2 => "Mains".to_owned(),
        3 => "Desserts".to_owned(),
        n => format!("Course {n}"),
    }
}

/// A course as a request names it: 0 to 9.
pub fn check(course: i64) -> Result<i64, String> {
    match (DRINKS..=MAX_COURSE).contains(&course) {
        true => Ok(course),
        false => Err(format!(
            "a course is between {DRINKS} and {MAX_COURSE}, not {course}"
        )),
    }
}

/// What a send or a fire does: the lines not sent yet of courses up to `through` go (all
/// when None), and from then on courses from `held_from` wait (none when None).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Firing {
    pub through: Option<i64>,
    pub held_from: Option<i64>,
}

impl Firing {
    /// A send of the courses up to `up_to` (every course when None): the later ones wait.
    pub fn send(up_to: Option<i64>) -> Firing {
        Firing {
            through: up_to,
            held_from: up_to.filter(|c| *c < MAX_COURSE).map(|c| c + 1),
        }
    }

    /// Firing `course` on an order that holds from `held_from`: it goes with every course
    /// before it, and the courses after it that were held stay held. A course that was
    /// never held sends what is waiting to be sent, holding what was held; with nothing
    /// held, everything goes.
    pub fn fire(held_from: Option<i64>, course: i64) -> Firing {
        match held_from {
            None => Firing::send(None),
            Some(held) if course < held => Firing {
                through: Some(held - 1),
                held_from: Some(held),
            },
            Some(_) => Firing::send(Some(course)),
        }
    }

    /// Whether a line of `course` not sent yet goes.
    pub fn takes(self, course: i64) -> bool {
        self.through.is_none_or(|c| course <= c)
    }
}

impl Order {
    /// Whether `line`, not sent yet, waits for its course to be fired.
    pub fn is_held(&self, line: &OrderLine) -> bool {
        line.status == LineStatus::New && self.held_from.is_some_and(|h| line.course >= h)
    }

    /// What the send button sends: every line not sent yet that is not held.
    pub fn send_now(&self) -> Option<i64> {
        self.held_from.map(|h| h - 1)
    }

    /// The held courses that have lines, lowest first.
    pub fn held_courses(&self) -> Vec<i64> {
        let mut courses: Vec<i64> = self
            .lines
            .iter()
            .filter(|l| self.is_held(l))
            .map(|l| l.course)
            .collect();
        courses.sort();
        courses.dedup();
        courses
    }

    /// The courses, lowest first, of the lines that the send button would send, drinks
    /// left out: with two or more, the waiter may send the first and hold the rest.
    pub fn courses_to_send(&self) -> Vec<i64> {
        let mut courses: Vec<i64> = self
            .lines
            .iter()
            .filter(|l| l.status == LineStatus::New && !self.is_held(l) && l.course != DRINKS)
            .map(|l| l.course)
            .collect();
        courses.sort();
        courses.dedup();
        courses
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn courses_are_named_as_a_waiter_says_them() {
        let names: Vec<String> = (0..=4).map(name).collect();
        assert_eq!(
            names,
            ["Drinks", "Starters", "Mains", "Desserts", "Course 4"]
        );
        assert!(check(0).is_ok() && check(9).is_ok());
        assert_eq!(
            check(10).unwrap_err(),
            "a course is between 0 and 9, not 10"
        );
        assert!(check(-1).is_err());
    }

    #[test]
    fn a_send_holds_the_courses_after_the_one_it_sends() {
        let starters = Firing::send(Some(1));
        assert_eq!(starters.held_from, Some(2));
        assert!(starters.takes(DRINKS) && starters.takes(1) && !starters.takes(2));
        let all = Firing::send(None);
        assert_eq!(all.held_from, None);
        assert!(all.takes(9));
        assert_eq!(Firing::send(Some(9)).held_from, None);
    }

    #[test]
    fn firing_sends_a_held_course_and_keeps_the_later_ones_held() {
        // Mains held from 2: firing mains sends through 2, desserts stay held.
        let mains = Firing::fire(Some(2), 2);
        assert_eq!((mains.through, mains.held_from), (Some(2), Some(3)));
        // Firing desserts while mains are held sends both.
        let desserts = Firing::fire(Some(2), 3);
        assert_eq!((desserts.through, desserts.held_from), (Some(3), Some(4)));
        // Starters, already fired: only what is not held goes, holding stays.
        let again = Firing::fire(Some(3), 1);
        assert_eq!((again.through, again.held_from), (Some(2), Some(3)));
        // Nothing held: everything goes.
        assert_eq!(Firing::fire(None, 2), Firing::send(None));
    }
}
