/*
 * Reading-list search: the client side of site_builder/search.py.
 *
 * Plain ES2017, no build step. In a browser it wires up the search box of the page;
 * under Node it exports the pure functions (search, highlight, words, queryWords) for tests.
 *
 * The search data is loaded lazily, as <script> files (so that a site opened from disk
 * searches too), in two steps:
 *
 * 1. on first focus of the search box (or at once on search.html?q=...),
 *    {root}search/index.js, which sets window.READING_LIST_SEARCH = {index: <serialized
 *    lunr 2.3.9 index of titles and authors>, docs: {ref: {t, a, u}}, parts: [names]};
 *    results show from it at once;
 * 2. right after the first results are painted (or after IDLE_TEXT_MS when the box is
 *    still empty then), every {root}search/<name>.js of `parts`, each of which sets
 *    window.READING_LIST_SEARCH_PARTS[name] = {index: <lunr index of abstracts>,
 *    snippets: {ref: snippet}}. As each arrives, the current query is searched again
 *    and the results refine; until all have, the count says abstracts are being searched.
 *
 * lunr itself is taken from window.lunr when a page already loaded it, else loaded from
 * ../vendor/lunr/lunr.min.js relative to this file.
 */
(function (root, factory) {
  'use strict';
  var api = factory(root);
  if (typeof module === 'object' && module && module.exports) {
    module.exports = api;
  } else if (root && root.document) {
    api.start(root);
  }
}(typeof window !== 'undefined' ? window : (typeof global !== 'undefined' ? global : this), function (root) {
  'use strict';

  /* ------------------------------------------------------------------ pure part */

  function getLunr() {
    if (root && root.lunr) {
      return root.lunr;
    }
    if (typeof require === 'function') {
      return require('../vendor/lunr/lunr.min.js');
    }
    throw new Error('lunr is not loaded');
  }

  // Words are split and trimmed exactly as site_builder/search.py does when it builds
  // the index (keep the two in step): split at whitespace, hyphens, dashes and
  // punctuation (lunr's query syntax characters among them, so input is always plain
  // words), then trim anything but letters and digits from both ends (lunr's trimmer,
  // but keeping accented and other non-ASCII letters).
  var SEPARATOR = /[\s\-\u2010-\u2015\u2190-\u23ff\u27c0-\u27ff\u2900-\u2aff()\[\]{}<>\/\\|:;,!?"=+*~^&@#$`]+/;
  var SEPARATOR_KEPT = /([\s\-\u2010-\u2015\u2190-\u23ff\u27c0-\u27ff\u2900-\u2aff()\[\]{}<>\/\\|:;,!?"=+*~^&@#$`]+)/;
  var WORD = 'A-Za-z0-9_\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u1fff\u2070-\u2fff\u3040-\uffff';
  var LEADING = new RegExp('^[^' + WORD + ']+');
  var TRAILING = new RegExp('[^' + WORD + ']+$');

  // Common English word endings. A word being typed is completed with them, and the
  // completions' stems are looked up, so that a prefix reaching past the stem
  // ("experimen" -> experiment -> "experi", "generaliz" -> generalization -> "gener")
  // still finds the stemmed term the index holds.
  var ENDINGS = [
    'e', 'es', 'ed', 'ing', 's', 'y', 'ies', 'ied', 'ly',
    'al', 'ally', 'als', 'ance', 'ances', 'ence', 'ences', 'ancy', 'ency',
    'er', 'ers', 'or', 'ors', 'ic', 'ics', 'ical', 'ically',
    'able', 'ably', 'ability', 'abilities', 'ible', 'ibility',
    'ant', 'ants', 'ent', 'ents', 'ently', 'ement', 'ements', 'ment', 'ments', 'mental',
    'ion', 'ions', 'tion', 'tions', 'sion', 'sions', 'ation', 'ations', 'ational',
    'ization', 'izations', 'isation', 'isations', 'alization', 'alizations',
    'ism', 'isms', 'ist', 'ists', 'istic', 'ity', 'ities', 'ivity', 'ality',
    'ous', 'ously', 'ousness', 'ive', 'ively', 'ives', 'iveness',
    'ize', 'izes', 'ized', 'izing', 'izer', 'izers', 'ise', 'ises', 'ised', 'ising',
    'ate', 'ates', 'ated', 'ating', 'ator', 'ators', 'ative', 'atives',
    'ful', 'fully', 'fulness', 'ness', 'less', 'logy', 'logies', 'logical'
  ];

  // Boosts: an exact (stemmed) match counts most, then stems of completed words,
  // then the plain prefix, then the prefix of the stem.
  var BOOST_EXACT = 10;
  var BOOST_COMPLETED = 4;
  var BOOST_PREFIX = 2;
  var BOOST_STEM_PREFIX = 1;

  function has(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key);
  }

  function trimWord(word) {
    return word.replace(LEADING, '').replace(TRAILING, '');
  }

  /** The words of `text` as the index holds them before stemming (see SEPARATOR). */
  function words(text) {
    var out = [];
    String(text == null ? '' : text).toLowerCase().split(SEPARATOR).forEach(function (part) {
      var word = trimWord(part);
      if (word) {
        out.push(word);
      }
    });
    return out;
  }

  function stem(lunr, word) {
    return lunr.stemmer(new lunr.Token(word)).toString();
  }

  function isStopWord(lunr, word) {
    return !lunr.stopWordFilter(new lunr.Token(word));
  }

  /**
   * The words of a query, each {text, exact}: lower-cased, trimmed like lunr's
   * trimmer, without repeats. Stop words are left out, except the last word (it may be
   * the start of a longer word being typed), which is then matched as a prefix only
   * (exact: false). When every word is a stop word, all are kept as prefixes.
   */
  function queryWords(query) {
    var lunr = getLunr();
    var unique = words(query).filter(function (word, i, all) {
      return all.indexOf(word) === i;
    });
    var stop = unique.map(function (word) { return isStopWord(lunr, word); });
    if (stop.indexOf(false) === -1) {
      return unique.map(function (word) { return { text: word, exact: false }; });
    }
    var kept = [];
    unique.forEach(function (word, i) {
      if (!stop[i]) {
        kept.push({ text: word, exact: true });
      } else if (i === unique.length - 1) {
        kept.push({ text: word, exact: false });
      }
    });
    return kept;
  }

  /** Stems of the words that start with `word`, completed with ENDINGS. */
  function completedStems(lunr, word) {
    var found = [];
    if (word.length < 3) {
      return found;
    }
    ENDINGS.forEach(function (ending) {
      for (var overlap = 0; overlap < ending.length; overlap++) {
        if (overlap > 0 && word.slice(-overlap) !== ending.slice(0, overlap)) {
          continue;
        }
        var term = stem(lunr, word + ending.slice(overlap));
        if (found.indexOf(term) === -1) {
          found.push(term);
        }
      }
    });
    return found;
  }

  /**
   * Matches of one query word in one index: {ref: {score, terms: [index terms matched]}}.
   * `stemmed` and `completed` are the word's stem and completedStems(), worked out once
   * for all the indexes.
   */
  function matchWord(lunr, index, word, stemmed, completed) {
    var wildcard = lunr.Query.wildcard.TRAILING;
    var results;
    try {
      results = index.query(function (q) {
        if (word.exact) {
          q.term(word.text, { usePipeline: true, boost: BOOST_EXACT });
        }
        completed.forEach(function (term) {
          if (has(index.invertedIndex, term)) {
            q.term(term, { usePipeline: false, boost: BOOST_COMPLETED });
          }
        });
        q.term(word.text, { usePipeline: false, wildcard: wildcard, boost: BOOST_PREFIX });
        if (word.exact && stemmed && stemmed !== word.text) {
          q.term(stemmed, { usePipeline: false, wildcard: wildcard, boost: BOOST_STEM_PREFIX });
        }
      });
    } catch (error) {
      // Clauses are built without lunr's query parser, so this should not happen;
      // if lunr still refuses the word, the word simply matches nothing.
      results = [];
    }
    var matches = Object.create(null);
    results.forEach(function (result) {
      matches[result.ref] = {
        score: result.score,
        terms: Object.keys(result.matchData.metadata)
      };
    });
    return matches;
  }

  /** Matches of one query word in all `indexes`, scores of the same paper added up. */
  function matchWordIn(lunr, indexes, word) {
    var stemmed = stem(lunr, word.text);
    var completed = completedStems(lunr, word.text);
    var matches = Object.create(null);
    indexes.forEach(function (index) {
      var found = matchWord(lunr, index, word, stemmed, completed);
      Object.keys(found).forEach(function (ref) {
        if (matches[ref]) {
          matches[ref] = {
            score: matches[ref].score + found[ref].score,
            terms: matches[ref].terms.concat(found[ref].terms)
          };
        } else {
          matches[ref] = found[ref];
        }
      });
    });
    return matches;
  }

  function compareResults(a, b) {
    if (a.score !== b.score) {
      return b.score - a.score;
    }
    var ta = String(a.doc.t || '').toLowerCase();
    var tb = String(b.doc.t || '').toLowerCase();
    if (ta !== tb) {
      return ta < tb ? -1 : 1;
    }
    return a.ref < b.ref ? -1 : (a.ref > b.ref ? 1 : 0);
  }

  /**
   * Search loaded lunr.Index objects (one, or an array of them: the titles and authors
   * index and the abstract indexes loaded so far). Every word of the query must match
   * (AND), in any of the indexes; each word matches as its stemmed term, as a prefix,
   * or as a prefix reaching past the stem. Returns [{ref, score, doc, terms}], best
   * first (then by title); `terms` are the index terms matched, for highlight().
   */
  function search(indexes, docs, query) {
    var lunr = getLunr();
    if (!Array.isArray(indexes)) {
      indexes = [indexes];
    }
    var words = queryWords(query);
    if (words.length === 0) {
      return [];
    }
    var combined = null;
    for (var i = 0; i < words.length; i++) {
      var matches = matchWordIn(lunr, indexes, words[i]);
      if (!words[i].exact && words.length > 1 && Object.keys(matches).length === 0) {
        // A stop word that starts no indexed word: the reader is not narrowing by it.
        continue;
      }
      if (combined === null) {
        combined = matches;
      } else {
        var next = Object.create(null);
        Object.keys(combined).forEach(function (ref) {
          if (matches[ref]) {
            next[ref] = {
              score: combined[ref].score + matches[ref].score,
              terms: combined[ref].terms.concat(matches[ref].terms)
            };
          }
        });
        combined = next;
      }
      if (Object.keys(combined).length === 0) {
        return [];
      }
    }
    if (combined === null) {
      return [];
    }
    var out = [];
    Object.keys(combined).forEach(function (ref) {
      if (!docs || !has(docs, ref)) {
        return;
      }
      var terms = combined[ref].terms.filter(function (term, j, all) {
        return all.indexOf(term) === j;
      }).sort();
      out.push({ ref: ref, score: combined[ref].score, doc: docs[ref], terms: terms });
    });
    out.sort(compareResults);
    return out;
  }

  /**
   * Split `text` into [{text, mark}] segments, marking the words whose index term
   * (trimmed, lower-cased, stemmed) is one of `terms`. Returns plain data: the
   * browser turns it into text nodes and <mark> elements.
   */
  function highlight(text, terms) {
    var lunr = getLunr();
    var wanted = Object.create(null);
    (terms || []).forEach(function (term) { wanted[term] = true; });
    var segments = [];
    function push(part, mark) {
      if (!part) {
        return;
      }
      var last = segments[segments.length - 1];
      if (last && last.mark === mark) {
        last.text += part;
      } else {
        segments.push({ text: part, mark: mark });
      }
    }
    String(text == null ? '' : text).split(SEPARATOR_KEPT).forEach(function (chunk, i) {
      if (i % 2 === 1) {
        push(chunk, false);
        return;
      }
      var lead = (LEADING.exec(chunk) || [''])[0];
      var rest = chunk.slice(lead.length);
      var tail = (TRAILING.exec(rest) || [''])[0];
      var core = rest.slice(0, rest.length - tail.length);
      var lower = core.toLowerCase();
      var hit = core !== '' && (wanted[lower] === true || wanted[stem(lunr, lower)] === true);
      push(lead, false);
      push(core, hit);
      push(tail, false);
    });
    return segments;
  }

  function countMessage(count, query) {
    var quoted = '\u201c' + query + '\u201d';
    if (count === 0) {
      return 'No papers match ' + quoted + '.';
    }
    return count + (count === 1 ? ' paper matches ' : ' papers match ') + quoted + '.';
  }

  /* ---------------------------------------------------------------- browser part */

  // Typing searches at once while searches are quick (FAST_MS), else after a short pause.
  var FAST_MS = 15;
  var DEBOUNCE_MS = 20;
  // The abstracts come after the first results, so as not to delay them; a reader who
  // focused the box and has not typed yet gets them after this pause.
  var IDLE_TEXT_MS = 1000;
  var DROPDOWN_LIMIT = 8;
  var LOADING = 'Loading search index\u2026';
  var FAILED = 'Search is not available: the search index could not be loaded.';
  var SEARCHING_TEXT = ' Searching abstracts\u2026';
  var TEXT_FAILED = ' (Abstracts could not be loaded: titles and authors only.)';

  var thisScript = root && root.document && root.document.currentScript;
  var thisScriptSrc = thisScript ? thisScript.src : '';

  function start(win) {
    var doc = win.document;
    if (doc.readyState === 'loading') {
      doc.addEventListener('DOMContentLoaded', function () { setUp(win); });
    } else {
      setUp(win);
    }
  }

  function setUp(win) {
    var doc = win.document;
    var input = doc.getElementById('search-input');
    if (!input) {
      return;
    }
    var form = input.form;
    var dropdown = doc.getElementById('search-results');
    var status = doc.getElementById('search-status');
    var page = doc.querySelector('[data-search-page]');
    var pageStatus = doc.getElementById('search-page-status');
    var pageList = doc.getElementById('search-page-results');
    var siteRoot = doc.documentElement.getAttribute('data-root') || '';
    var onSearchPage = Boolean(page && pageList);

    var loading = null;   // Promise of the loaded first part, once asked for
    var indexes = null;   // [titles and authors index, abstract indexes in `parts` order]
    var docs = null;
    var parts = [];       // names of the abstract parts
    var loadedParts = Object.create(null);   // name -> lunr.Index
    var textStarted = false;
    var textPending = 0;  // abstract parts asked for and not yet arrived (or failed)
    var textFailed = false;
    var lastSearchMs = Infinity;
    var timer = null;
    var options = [];     // dropdown options: {item, link}
    var active = -1;

    input.setAttribute('role', 'combobox');
    input.setAttribute('aria-autocomplete', 'list');
    input.setAttribute('aria-expanded', 'false');

    function clear(element) {
      while (element && element.firstChild) {
        element.removeChild(element.firstChild);
      }
    }

    function el(tag, className, text) {
      var node = doc.createElement(tag);
      if (className) {
        node.className = className;
      }
      if (text != null) {
        node.textContent = text;
      }
      return node;
    }

    function appendHighlighted(parent, text, terms) {
      highlight(text, terms).forEach(function (segment) {
        if (segment.mark) {
          parent.appendChild(el('mark', null, segment.text));
        } else {
          parent.appendChild(doc.createTextNode(segment.text));
        }
      });
      return parent;
    }

    function announce(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function loadScript(src) {
      return new Promise(function (resolve, reject) {
        var script = doc.createElement('script');
        script.src = src;
        script.async = true;
        script.onload = function () { resolve(); };
        script.onerror = function () {
          script.parentNode.removeChild(script);
          reject(new Error('could not load ' + src));
        };
        (doc.head || doc.documentElement).appendChild(script);
      });
    }

    function lunrUrl() {
      var base = thisScriptSrc || doc.baseURI;
      return new URL('../vendor/lunr/lunr.min.js', base).href;
    }

    function ensureIndex() {
      if (!loading) {
        loading = Promise.all([
          win.lunr ? null : loadScript(lunrUrl()),
          win.READING_LIST_SEARCH ? null : loadScript(siteRoot + 'search/index.js')
        ]).then(function () {
          var data = win.READING_LIST_SEARCH;
          if (!data || !data.index) {
            throw new Error('search/index.js did not define READING_LIST_SEARCH');
          }
          var first = win.lunr.Index.load(data.index);
          docs = data.docs || {};
          parts = data.parts || [];
          indexes = [first];
          if (!currentQuery()) {
            win.setTimeout(startText, IDLE_TEXT_MS);   // nothing typed yet
          }
        });
        loading.catch(function () {
          loading = null;   // let a later focus try again
        });
      }
      return loading;
    }

    function currentQuery() {
      return input.value.trim();
    }

    /* the abstract parts */

    function refreshIndexes() {
      indexes = [indexes[0]].concat(parts.filter(function (name) {
        return has(loadedParts, name);
      }).map(function (name) { return loadedParts[name]; }));
    }

    function partLoaded(name) {
      var data = (win.READING_LIST_SEARCH_PARTS || {})[name];
      if (!data || !data.index) {
        throw new Error('search/' + name + '.js did not define its part');
      }
      loadedParts[name] = win.lunr.Index.load(data.index);
      var snippets = data.snippets || {};
      Object.keys(snippets).forEach(function (ref) {
        if (has(docs, ref)) {
          docs[ref].s = snippets[ref];
        }
      });
      refreshIndexes();
    }

    function startText() {
      if (textStarted || !indexes) {
        return;
      }
      textStarted = true;
      textPending = parts.length;
      parts.forEach(function (name) {
        loadScript(siteRoot + 'search/' + name + '.js').then(function () {
          partLoaded(name);
        }).catch(function () {
          textFailed = true;
        }).then(function () {
          textPending -= 1;
          refine();
        });
      });
    }

    function startTextAfterPaint() {
      if (textStarted) {
        return;
      }
      // After the frame that shows the first results, so that they come first.
      win.requestAnimationFrame(function () { win.setTimeout(startText, 0); });
    }

    /** Search the current query again with what has arrived, unless typing is pending. */
    function refine() {
      if (timer || !currentQuery()) {
        return;
      }
      if (!onSearchPage && dropdown && dropdown.hidden) {
        return;   // closed by the reader: refined when it opens again
      }
      update();
    }

    /** Whether abstracts are still to come (not all parts arrived or failed yet). */
    function textLoading() {
      return parts.length > 0 && (!textStarted || textPending > 0);
    }

    function textNote() {
      if (textLoading()) {
        return SEARCHING_TEXT;
      }
      return textFailed ? TEXT_FAILED : '';
    }

    function setBusy(busy) {
      [dropdown, pageList].forEach(function (element) {
        if (!element) {
          return;
        }
        if (busy) {
          element.setAttribute('aria-busy', 'true');
        } else {
          element.removeAttribute('aria-busy');
        }
      });
    }

    function searchUrl(query) {
      return siteRoot + 'search.html?q=' + encodeURIComponent(query);
    }

    function resultBody(container, result, headingTag, plain) {
      // plain: the title as text, for dropdown options (which may hold nothing focusable).
      var heading = el(headingTag, 'search-result-title');
      var link = el(plain ? 'span' : 'a');
      if (!plain) {
        link.href = siteRoot + result.doc.u;
      }
      appendHighlighted(link, result.doc.t || result.ref, result.terms);
      heading.appendChild(link);
      container.appendChild(heading);
      if (result.doc.a) {
        container.appendChild(
          appendHighlighted(el('p', 'search-result-authors'), result.doc.a, result.terms));
      }
      if (result.doc.s) {
        container.appendChild(
          appendHighlighted(el('p', 'search-result-snippet'), result.doc.s, result.terms));
      }
      return link;
    }

    /* dropdown */

    function setActive(next) {
      if (active >= 0 && options[active]) {
        options[active].item.setAttribute('aria-selected', 'false');
        options[active].item.classList.remove('is-active');
      }
      active = next;
      if (active >= 0 && options[active]) {
        var item = options[active].item;
        item.setAttribute('aria-selected', 'true');
        item.classList.add('is-active');
        input.setAttribute('aria-activedescendant', item.id);
        if (item.scrollIntoView) {
          item.scrollIntoView({ block: 'nearest' });
        }
      } else {
        input.removeAttribute('aria-activedescendant');
      }
    }

    function openDropdown() {
      if (dropdown) {
        dropdown.hidden = false;
        input.setAttribute('aria-expanded', 'true');
      }
    }

    function closeDropdown() {
      if (dropdown) {
        dropdown.hidden = true;
      }
      input.setAttribute('aria-expanded', 'false');
      setActive(-1);
    }

    function dropdownMessage(text) {
      if (!dropdown) {
        return;
      }
      clear(dropdown);
      options = [];
      setActive(-1);
      dropdown.appendChild(el('p', 'search-results-message', text));
      openDropdown();
    }

    function renderDropdown(query, results, message) {
      if (!dropdown) {
        return;
      }
      var activeHref = active >= 0 && options[active] ? options[active].href : null;
      clear(dropdown);
      options = [];
      setActive(-1);
      dropdown.appendChild(el('p', 'search-results-message', message));
      if (results.length > 0) {
        var list = el('ul', 'search-results-list');
        list.id = 'search-results-list';
        list.setAttribute('role', 'listbox');
        list.setAttribute('aria-label', 'Search results');
        results.slice(0, DROPDOWN_LIMIT).forEach(function (result, i) {
          var item = el('li', 'search-result');
          item.id = 'search-result-' + i;
          item.setAttribute('role', 'option');
          item.setAttribute('aria-selected', 'false');
          resultBody(item, result, 'p', true);
          var resolve = el('a');
          resolve.href = siteRoot + result.doc.u;
          var href = resolve.href;
          item.setAttribute('data-href', href);
          item.addEventListener('mousemove', function () {
            if (active !== i) {
              setActive(i);
            }
          });
          item.addEventListener('click', function () {
            win.location.href = href;
          });
          list.appendChild(item);
          options.push({ item: item, href: href });
        });
        dropdown.appendChild(list);
        if (results.length > DROPDOWN_LIMIT) {
          var more = el('p', 'search-results-more');
          var all = el('a', null, 'Show all ' + results.length + ' results');
          all.href = searchUrl(query);
          more.appendChild(all);
          dropdown.appendChild(more);
        }
      }
      openDropdown();
      if (activeHref !== null) {
        // Refined results: the option the reader was on stays selected, if still there.
        for (var k = 0; k < options.length; k++) {
          if (options[k].href === activeHref) {
            setActive(k);
            break;
          }
        }
      }
    }

    /* search page */

    function renderPage(query, results, message) {
      clear(pageList);
      if (!query) {
        if (pageStatus) {
          pageStatus.textContent = 'Type in the search box to search titles, authors and abstracts.';
        }
        return;
      }
      if (pageStatus) {
        pageStatus.textContent = message;
      }
      results.forEach(function (result) {
        var item = el('li', 'search-page-result');
        resultBody(item, result, 'h2');
        pageList.appendChild(item);
      });
    }

    function updateUrl(query) {
      try {
        var params = new URLSearchParams(win.location.search);
        if (query) {
          params.set('q', query);
        } else {
          params.delete('q');
        }
        var search = params.toString();
        win.history.replaceState(win.history.state, '',
          win.location.pathname + (search ? '?' + search : '') + win.location.hash);
      } catch (error) {
        // Some browsers refuse replaceState on file:// pages; the results still show.
      }
    }

    /* the update loop */

    function showLoading(query) {
      if (onSearchPage) {
        if (pageStatus) {
          pageStatus.textContent = LOADING;
        }
      } else if (query) {
        dropdownMessage(LOADING);
      }
      announce(LOADING);
    }

    function showFailure() {
      if (onSearchPage) {
        if (pageStatus) {
          pageStatus.textContent = FAILED;
        }
      } else {
        dropdownMessage(FAILED);
      }
      announce(FAILED);
    }

    function update() {
      timer = null;
      var query = currentQuery();
      if (onSearchPage) {
        updateUrl(query);
      }
      if (!query) {
        if (onSearchPage) {
          renderPage('', []);
        } else {
          closeDropdown();
        }
        announce('');
        return;
      }
      if (!indexes) {
        showLoading(query);
        ensureIndex().then(function () {
          if (!timer) {
            update();
          }
        }, showFailure);
        return;
      }
      var started = Date.now();
      var results = search(indexes, docs, query);
      lastSearchMs = Date.now() - started;
      var message = countMessage(results.length, query) + textNote();
      setBusy(textLoading());
      if (onSearchPage) {
        renderPage(query, results, message);
      } else {
        renderDropdown(query, results, message);
      }
      announce(message);
      startTextAfterPaint();
    }

    function scheduleUpdate() {
      if (timer) {
        win.clearTimeout(timer);
        timer = null;
      }
      if (indexes && lastSearchMs < FAST_MS) {
        update();   // searches are quick: keep up with every key
      } else {
        timer = win.setTimeout(update, DEBOUNCE_MS);
      }
    }

    function updateNow() {
      if (timer) {
        win.clearTimeout(timer);
      }
      update();
    }

    input.addEventListener('focus', function () {
      if (!indexes) {
        ensureIndex().catch(function () { /* reported when a query needs it */ });
      }
      if (!onSearchPage && currentQuery() && dropdown && dropdown.hidden) {
        updateNow();
      }
    });

    input.addEventListener('input', scheduleUpdate);

    input.addEventListener('keydown', function (event) {
      var open = dropdown && !dropdown.hidden;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        if (onSearchPage) {
          return;
        }
        event.preventDefault();
        if (!open) {
          updateNow();
          return;
        }
        if (options.length === 0) {
          return;
        }
        if (event.key === 'ArrowDown') {
          setActive(active + 1 >= options.length ? 0 : active + 1);
        } else {
          setActive(active <= 0 ? options.length - 1 : active - 1);
        }
      } else if (event.key === 'Enter') {
        if (open && active >= 0 && options[active]) {
          event.preventDefault();
          win.location.href = options[active].href;
        } else if (onSearchPage) {
          event.preventDefault();
          updateNow();
        }
        // Otherwise the form submits to search.html?q=... as usual.
      } else if (event.key === 'Escape') {
        if (open) {
          event.preventDefault();
          closeDropdown();
        }
      }
    });

    if (form && onSearchPage) {
      form.addEventListener('submit', function (event) {
        event.preventDefault();
        updateNow();
      });
    }

    function outside(target) {
      return !(form && form.contains(target)) && !(dropdown && dropdown.contains(target));
    }

    doc.addEventListener('click', function (event) {
      if (outside(event.target)) {
        closeDropdown();
      }
    });

    doc.addEventListener('focusin', function (event) {
      if (outside(event.target)) {
        closeDropdown();
      }
    });

    doc.addEventListener('keydown', function (event) {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) {
        return;
      }
      var target = event.target;
      var tag = target && target.tagName ? target.tagName.toUpperCase() : '';
      if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' ||
          (target && target.isContentEditable)) {
        return;
      }
      event.preventDefault();
      input.focus();
      input.select();
    });

    if (onSearchPage) {
      var initial = new URLSearchParams(win.location.search).get('q') || '';
      input.value = initial;
      if (initial.trim()) {
        ensureIndex().catch(function () { /* shown by update() */ });
        updateNow();
      } else {
        renderPage('', []);
      }
    }
  }

  return {
    search: search,
    highlight: highlight,
    words: words,
    queryWords: queryWords,
    countMessage: countMessage,
    start: start
  };
}));
