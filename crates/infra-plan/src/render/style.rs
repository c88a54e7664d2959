//! Colours and symbols of the human plan: Terraform's palette (green `+`, yellow `~`, red `-`,
//! bold headings, dark grey comments) as ANSI escapes, and nothing at all when colour is off.

/// What a line (or a whole value) does, the way Terraform marks it in the left column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mark {
    /// Unchanged: a blank column.
    Same,
    /// Added.
    Create,
    /// Changed in place.
    Update,
    /// Removed.
    Delete,
}

/// Wraps text in ANSI escapes when colour is on.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    pub(crate) color: bool,
}

const RESET: &str = "\x1b[0m";

impl Style {
    fn paint(self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}{RESET}")
        } else {
            text.to_string()
        }
    }

    pub(crate) fn green(self, text: &str) -> String {
        self.paint("32", text)
    }

    pub(crate) fn yellow(self, text: &str) -> String {
        self.paint("33", text)
    }

    pub(crate) fn red(self, text: &str) -> String {
        self.paint("31", text)
    }

    pub(crate) fn bold(self, text: &str) -> String {
        self.paint("1", text)
    }

    /// Bold green (`No changes.`).
    pub(crate) fn good(self, text: &str) -> String {
        self.paint("1;32", text)
    }

    /// Bold red (`replaced`, `destroyed`).
    pub(crate) fn danger(self, text: &str) -> String {
        self.paint("1;31", text)
    }

    pub(crate) fn dim(self, text: &str) -> String {
        self.paint("90", text)
    }

    pub(crate) fn note(self, text: &str) -> String {
        self.paint("1;36", text)
    }

    /// The three-column symbol of a value line: `  +`, `  ~`, `  -` or blank.
    pub(crate) fn mark(self, mark: Mark) -> String {
        match mark {
            Mark::Same => "   ".to_string(),
            Mark::Create => format!("  {}", self.green("+")),
            Mark::Update => format!("  {}", self.yellow("~")),
            Mark::Delete => format!("  {}", self.red("-")),
        }
    }

    /// The three-column symbol of a resource line, with the replacement orders.
    pub(crate) fn action(self, action: crate::plan::Action) -> String {
        use crate::plan::Action;
        match action {
            Action::NoOp => self.mark(Mark::Same),
            Action::Create => self.mark(Mark::Create),
            Action::Update => self.mark(Mark::Update),
            Action::Delete => self.mark(Mark::Delete),
            Action::DeleteThenCreate => format!("{}/{}", self.red("-"), self.green("+")),
            Action::CreateThenDelete => format!("{}/{}", self.green("+"), self.red("-")),
            Action::Forget => format!("  {}", self.yellow(".")),
        }
    }

    /// The symbol of `change`'s resource line: [`Style::action`], except for a replacement that
    /// keeps its old object in AWS, `./+` or `+/.` (nothing is destroyed).
    pub(crate) fn change(self, change: &crate::plan::ResourceChange) -> String {
        use crate::plan::Action;
        match (change.action, change.retains()) {
            (Action::DeleteThenCreate, true) => format!("{}/{}", self.yellow("."), self.green("+")),
            (Action::CreateThenDelete, true) => format!("{}/{}", self.green("+"), self.yellow(".")),
            (action, _) => self.action(action),
        }
    }

    /// ` # forces replacement`, in red.
    pub(crate) fn forces_replacement(self) -> String {
        format!(" {}", self.red("# forces replacement"))
    }

    /// ` -> null`, after a removed top-level attribute.
    pub(crate) fn null_suffix(self) -> String {
        format!(" {}", self.dim("-> null"))
    }

    /// The arrow between an old and a new value.
    pub(crate) fn arrow(self) -> String {
        self.yellow("->")
    }

    /// `# (3 unchanged attributes hidden)`.
    pub(crate) fn hidden(self, count: usize, what: &str) -> String {
        let plural = if count == 1 { "" } else { "s" };
        self.dim(&format!("# ({count} unchanged {what}{plural} hidden)"))
    }
}

/// Four spaces per nesting level, as Terraform indents.
pub(crate) fn indent(level: usize) -> String {
    "    ".repeat(level)
}
