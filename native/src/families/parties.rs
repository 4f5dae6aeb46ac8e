//! The parties family (`chatstats_core/engine/families/parties.py`): the parties by role.

use crate::kvps::Kvp;
use crate::model::Role;
use crate::options::Options;
use crate::stats::{stat, Stat};
use crate::timelines::{Presence, Timelines};

pub(super) fn party_stats(timelines: &Timelines, options: &Options, stats: &mut Vec<Stat>) {
    let unique = |key: Kvp, chosen: &dyn Fn(&Presence) -> bool, stats: &mut Vec<Stat>| {
        let mut persons: Vec<&str> = Vec::new();
        for p in timelines
            .presences
            .iter()
            .filter(|p| p.role.is_human_agent() && chosen(p))
        {
            let who = if p.person.is_empty() {
                p.party.as_str()
            } else {
                p.person.as_str()
            };
            if !persons.contains(&who) {
                persons.push(who);
            }
        }
        stats.push(stat(key, persons.len() as i64, !persons.is_empty()));
    };
    unique(
        Kvp::csg_PartiesAsAgentCount,
        &|p| p.is_visible_agent(),
        stats,
    );
    unique(
        Kvp::csg_PartiesAsCoachCount,
        &|p| p.visibility == options.coach_visibility,
        stats,
    );
    unique(
        Kvp::csg_PartiesAsMonitorCount,
        &|p| p.visibility == options.monitor_visibility(),
        stats,
    );
    if options.bot_gateway {
        let bots = timelines
            .presences
            .iter()
            .filter(|p| p.role == Role::Bot)
            .count() as i64;
        stats.push(stat(Kvp::csg_PartiesAsBotCount, bots, bots > 0));
    }
}
