//! The views, addressed by URL hash (`#/agents`), so a view can be
//! bookmarked and Back works.

/// One view of the app.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Route {
    /// The seed 000 dashboard.
    #[default]
    Overview,
    /// Agent table and per-agent detail.
    Agents,
    /// Operations by kind / pattern.
    Operations,
    /// Sessions and one session's timeline.
    Sessions,
    /// Failures grouped by error type.
    Failures,
    /// Costs and tokens.
    Costs,
    /// Alerts and health.
    Alerts,
    /// Bottlenecks and recommendations.
    Bottlenecks,
    /// Report preview and downloads.
    Report,
    /// Loaded files, formats, diagnostics.
    Data,
    /// Thresholds, prices, period, "now", theme.
    Settings,
}

impl Route {
    /// Every view, in navigation order.
    pub const ALL: [Route; 11] = [
        Route::Overview,
        Route::Agents,
        Route::Operations,
        Route::Sessions,
        Route::Failures,
        Route::Costs,
        Route::Alerts,
        Route::Bottlenecks,
        Route::Report,
        Route::Data,
        Route::Settings,
    ];

    /// The hash fragment without `#/`.
    pub fn slug(self) -> &'static str {
        match self {
            Route::Overview => "overview",
            Route::Agents => "agents",
            Route::Operations => "operations",
            Route::Sessions => "sessions",
            Route::Failures => "failures",
            Route::Costs => "costs",
            Route::Alerts => "alerts",
            Route::Bottlenecks => "bottlenecks",
            Route::Report => "report",
            Route::Data => "data",
            Route::Settings => "settings",
        }
    }

    /// The navigation label.
    pub fn label(self) -> &'static str {
        match self {
            Route::Overview => "Overview",
            Route::Agents => "Agents",
            Route::Operations => "Operations",
            Route::Sessions => "Sessions",
            Route::Failures => "Failures",
            Route::Costs => "Costs & tokens",
            Route::Alerts => "Alerts",
            Route::Bottlenecks => "Bottlenecks",
            Route::Report => "Report",
            Route::Data => "Data",
            Route::Settings => "Settings",
        }
    }

    /// Parses a hash such as `#/agents` or `#/sessions/run-1` (the part after
    /// the view's slug is the view's own argument); unknown hashes give Overview.
    pub fn parse(hash: &str) -> (Route, Option<String>) {
        let path = hash.trim_start_matches('#').trim_start_matches('/');
        let (slug, rest) = match path.split_once('/') {
            Some((s, r)) => (s, Some(r.to_string()).filter(|r| !r.is_empty())),
            None => (path, None),
        };
        let route = Route::ALL
            .into_iter()
            .find(|r| r.slug() == slug)
            .unwrap_or(Route::Overview);
        (route, rest)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_parse_to_views_and_arguments() {
        assert_eq!(Route::parse("#/agents"), (Route::Agents, None));
        assert_eq!(
            Route::parse("#/sessions/run-1"),
            (Route::Sessions, Some("run-1".to_string()))
        );
        assert_eq!(Route::parse(""), (Route::Overview, None));
        assert_eq!(Route::parse("#/nope"), (Route::Overview, None));
        for r in Route::ALL {
            assert_eq!(Route::parse(&format!("#/{}", r.slug())).0, r);
        }
    }
}
