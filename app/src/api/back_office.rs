//! The back office's changes to the venue: its menu (categories, products, option
//! groups), floor (rooms, tables), staff and stations. Each body serves both to create
//! (`POST`, where the fields marked required must be there) and to change (`PATCH`, where
//! an absent field stays as it is). Field names are the snapshot's.

use super::venue::some_or_null;
use crate::domain::floor::TableShape;
use crate::domain::menu::OptionKind;
use crate::domain::staff::Role;
use crate::domain::{CategoryId, OptionGroupId, OptionId, RoomId, StationId};
use serde::{Deserialize, Serialize};

/// A category. `name` is required to create one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct CategoryChange {
    /// 1 to 40 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// `#rrggbb`.
    #[serde(default)]
    pub colour: Option<String>,
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// The course its products go in: 0 drinks (never held), 1 starters, 2 mains,
    /// 3 desserts, up to 9. 1 when a category is made without one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub course: Option<i64>,
}

/// A product. `name`, `price_minor`, `category_id` and `station_id` are required to
/// create one. A change of price applies to lines taken from then on; lines already
/// taken keep the price they were taken at.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ProductChange {
    /// 1 to 60 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// The ticket's short name, 1 to 24 characters; `null` or `""` goes back to the name.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub kitchen_name: Option<Option<String>>,
    /// 0 to the venue's largest amount, in minor units.
    #[serde(default)]
    pub price_minor: Option<i64>,
    #[serde(default)]
    pub category_id: Option<CategoryId>,
    #[serde(default)]
    pub station_id: Option<StationId>,
    /// Basis points, 0 to 5000; absent when creating: the venue's usual rate.
    #[serde(default)]
    pub tax_rate_bp: Option<i64>,
    /// The option groups offered with it, in order (replaces the list).
    #[serde(default)]
    pub option_group_ids: Option<Vec<OptionGroupId>>,
    /// 4 to 32 characters; `null` removes it.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub barcode: Option<Option<String>>,
    /// False "86es" it: shown, but not orderable. Roles allowed to sell out may set this.
    #[serde(default)]
    pub available: Option<bool>,
    /// Portions left, 0 to 100,000, counted down by each line taken (sold out at 0); `null`
    /// stops counting. A count above 0 puts it back on sale unless `available` says
    /// otherwise. Roles allowed to sell out may set this.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub stock_left: Option<Option<i64>>,
    /// True takes it off the menu for good (it is never deleted: lines name it).
    #[serde(default)]
    pub retired: Option<bool>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

/// One option of a group, as a change: with the `id` of an option the group has, it
/// changes that option; without, it adds one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionChange {
    #[serde(default)]
    pub id: Option<OptionId>,
    /// 1 to 40 characters.
    pub name: String,
    /// Added to the product's price (an add-on's price), in minor units.
    #[serde(default)]
    pub price_delta_minor: i64,
}

/// An option group. `name`, `kind` and `options` are required to create one; `options`
/// replaces the group's options (one left out is no longer offered; lines that chose it
/// keep it).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OptionGroupChange {
    /// 1 to 40 characters.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub kind: Option<OptionKind>,
    /// 1 to 30 options.
    #[serde(default)]
    pub options: Option<Vec<OptionChange>>,
    /// The fewest options a guest picks, 0 to the group's options; `null` (or absent when
    /// creating): the kind's usual, one for a choice and none for add-ons.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub min_picks: Option<Option<i64>>,
    /// The most, at least the fewest (and 1 for a choice); `null` (or absent when
    /// creating): one for a choice, any number of add-ons.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub max_picks: Option<Option<i64>>,
}

/// A room. `name` is required to create one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoomChange {
    /// 1 to 40 characters.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub sort_order: Option<i64>,
    /// True takes it off the floor (only once its tables are moved or taken off); false
    /// puts it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<bool>,
}

/// A table. `room_id` and `label` are required to create one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct TableChange {
    #[serde(default)]
    pub room_id: Option<RoomId>,
    /// 1 to 12 characters, unique in the venue ("12", "T3", "Bar 2").
    #[serde(default)]
    pub label: Option<String>,
    /// 1 to 30; 4 when absent.
    #[serde(default)]
    pub seats: Option<i64>,
    /// Cells from the room's top left, 0 to 49.
    #[serde(default)]
    pub grid_x: Option<i64>,
    #[serde(default)]
    pub grid_y: Option<i64>,
    /// Cells across and down, 1 to 6.
    #[serde(default)]
    pub grid_w: Option<i64>,
    #[serde(default)]
    pub grid_h: Option<i64>,
    /// Absent: square for a new table, unchanged for a change.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<TableShape>,
    /// True takes it off the floor (not while an order is open at it; never deleted, since
    /// orders name it); false puts it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retired: Option<bool>,
}

/// A member of staff. `name`, `role` and `pin` are required to add one.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StaffChange {
    /// 1 to 40 characters.
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub role: Option<Role>,
    /// 4 to 8 digits, not an easy one, and nobody else's.
    #[serde(default)]
    pub pin: Option<String>,
    /// False stops them signing in (and ends their sessions); the last active manager
    /// cannot be stopped or given another role.
    #[serde(default)]
    pub active: Option<bool>,
}

/// What a role may do, changed by a manager (absent fields stay). A manager's role may
/// do everything and is not changed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoleChange {
    #[serde(default)]
    pub sells_out: Option<bool>,
    #[serde(default)]
    pub opens_drawer: Option<bool>,
    /// 0 to 1,000,000.00 in minor units; `null`: the venue's limit.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub discount_limit_minor: Option<Option<i64>>,
    /// 0 to 1,000,000.00 in minor units; `null`: the venue's limit.
    #[serde(
        default,
        deserialize_with = "some_or_null",
        skip_serializing_if = "Option::is_none"
    )]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub void_limit_minor: Option<Option<i64>>,
}

/// A station. `name` is required to add one; its `id` (the slug in its screen's
/// address, `/kitchen/<id>`) is made from the name unless given, and never changes.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StationChange {
    #[serde(default)]
    pub id: Option<StationId>,
    /// 1 to 40 characters.
    #[serde(default)]
    pub name: Option<String>,
    /// Seconds until a ticket shows yellow, then red (1 to 86,400; red after yellow).
    #[serde(default)]
    pub warn_after_secs: Option<i64>,
    #[serde(default)]
    pub late_after_secs: Option<i64>,
    #[serde(default)]
    pub sort_order: Option<i64>,
}

/// What a menu import did, or, for a dry run, would do. With problems nothing was done:
/// an import is all or nothing.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MenuImport {
    pub dry_run: bool,
    pub categories_added: Vec<String>,
    pub option_groups_added: Vec<String>,
    pub products_added: Vec<String>,
    pub products_changed: Vec<String>,
    pub products_unchanged: usize,
    pub problems: Vec<ImportProblem>,
}

/// A row of the file that cannot be taken, by its line (the header is line 1) and column.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ImportProblem {
    pub line: u64,
    pub field: String,
    pub message: String,
}
