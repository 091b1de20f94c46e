# install.mk - make install / make uninstall: the three tools, their man pages
# and the bash completion, under $(DESTDIR)$(PREFIX) as the GNU conventions
# name the directories.  uninstall removes exactly the files install wrote.
# Included by the Makefile; TOOLS and build come from there.
PREFIX      ?= /usr/local
BINDIR      ?= $(PREFIX)/bin
MANDIR      ?= $(PREFIX)/share/man
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
INSTALL     ?= install

TOOL_NAMES  := perfingest perfanalyze perfreport
MAN1_PAGES  := $(TOOL_NAMES:%=docs/man/%.1)
MAN7_PAGES  := docs/man/perfkit.7

install: build
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
	    $(DESTDIR)$(MANDIR)/man7 $(DESTDIR)$(BASHCOMPDIR)
	$(INSTALL) -m 755 $(TOOLS) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(MAN1_PAGES) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 $(MAN7_PAGES) $(DESTDIR)$(MANDIR)/man7/
	$(INSTALL) -m 644 docs/completion/perfkit.bash $(DESTDIR)$(BASHCOMPDIR)/perfingest
	ln -sf perfingest $(DESTDIR)$(BASHCOMPDIR)/perfanalyze
	ln -sf perfingest $(DESTDIR)$(BASHCOMPDIR)/perfreport

uninstall:
	rm -f $(TOOL_NAMES:%=$(DESTDIR)$(BINDIR)/%) \
	    $(MAN1_PAGES:docs/man/%=$(DESTDIR)$(MANDIR)/man1/%) \
	    $(MAN7_PAGES:docs/man/%=$(DESTDIR)$(MANDIR)/man7/%) \
	    $(TOOL_NAMES:%=$(DESTDIR)$(BASHCOMPDIR)/%)
	@# under a DESTDIR, the directories install made go too when empty;
	@# a system's own /usr/local/... directories stay
	@if [ -n "$(DESTDIR)" ]; then \
	  for d in $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man7 \
	           $(DESTDIR)$(BASHCOMPDIR); do \
	    while [ "$${d%/}" != "$${DESTDIR%/}" ] && rmdir "$$d" 2>/dev/null; do d=$${d%/*}; done; \
	  done; fi
